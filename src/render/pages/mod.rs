//! The page kinds, one file each: a notice and its versions (`notice`), the lists
//! (`lists`), the site as a whole (`site`). Each adds its methods to `Pages`.

mod lists;
mod notice;
mod site;
mod stages;
