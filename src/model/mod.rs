//! Stage 2 and 3: validated notices (`notice`), their typed fields (`fields`),
//! and the site model built once from all of them (`site`).

pub mod citations;
pub mod fields;
pub mod notice;
pub mod site;
