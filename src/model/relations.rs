//! Relations that cannot be true, found before anything is published: a notice
//! that amends, replaces or repeals itself; a chain of `amends` / `supersedes` /
//! `repeals` that comes back to where it started (A replaces B, B replaces A:
//! both would read 失效 and nothing in force); and a notice replacing or
//! repealing one published after it, unless its own `effective` date comes later.

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::notice::Notice;
use crate::schema::Relation;

/// The relations that change another document (`interprets` does not).
const CHANGING: [Relation; 3] = [Relation::Amends, Relation::Supersedes, Relation::Repeals];

pub fn check(notices: &[Notice]) -> Vec<Diagnostic> {
    let by_number: HashMap<&str, usize> =
        notices.iter().enumerate().filter_map(|(i, n)| n.doc_number.as_ref().map(|d| (d.text.as_str(), i))).collect();
    let mut diags = Vec::new();
    // Edges of the changing relations, by notice: (relation, target).
    let mut edges: Vec<Vec<(Relation, usize)>> = vec![Vec::new(); notices.len()];
    for (i, n) in notices.iter().enumerate() {
        for r in n.relations.iter().filter(|r| CHANGING.contains(&r.relation)) {
            let field = r.relation.field();
            let (line, col) = n.field_position(field);
            match by_number.get(r.number.text.as_str()) {
                Some(&t) if t == i => diags.push(
                    Diagnostic::new(Code::Relation, n.display(), format!("the notice {}s itself", verb(r.relation)))
                        .at(line, col)
                        .field(field)
                        .found(format!("{field}: {} — its own 发文字号", r.number.text))
                        .expected("the 发文字号 of another, earlier document")
                        .hint("check for a copied number; the page would say it is 废止 or 失效 by itself"),
                ),
                Some(&t) => {
                    edges[i].push((r.relation, t));
                    let target = &notices[t];
                    let takes_effect = n.effective.unwrap_or(n.published);
                    let replaces = matches!(r.relation, Relation::Supersedes | Relation::Repeals);
                    if replaces && target.published > n.published && takes_effect < target.published {
                        diags.push(
                            Diagnostic::new(
                                Code::Relation,
                                n.display(),
                                format!("the notice {}s one published after it", verb(r.relation)),
                            )
                            .at(line, col)
                            .field(field)
                            .found(format!(
                                "{field}: {} — {} was published on {}, this notice on {}",
                                r.number.text,
                                target.display().display(),
                                target.published,
                                n.published
                            ))
                            .expected("an older document; or an `effective:` date on this notice from when it applies")
                            .hint("swap the relation (the newer notice replaces the older), or check the numbers"),
                        );
                    }
                }
                None => {}
            }
        }
    }
    diags.extend(cycles(notices, &edges));
    diags
}

fn verb(r: Relation) -> &'static str {
    match r {
        Relation::Amends => "amend",
        Relation::Supersedes => "supersede",
        Relation::Repeals => "repeal",
        Relation::Interprets => "interpret",
    }
}

/// Each cycle once, as an error on its first notice naming every step.
fn cycles(notices: &[Notice], edges: &[Vec<(Relation, usize)>]) -> Vec<Diagnostic> {
    // Iterative depth-first search: 0 unseen, 1 on the path, 2 done.
    let mut state = vec![0u8; notices.len()];
    let mut diags = Vec::new();
    for start in 0..notices.len() {
        if state[start] != 0 {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            if let Some(&(_, to)) = edges[node].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        path.push((to, 0));
                    }
                    1 => {
                        let from = path.iter().position(|&(p, _)| p == to).unwrap_or(0);
                        let steps: Vec<usize> = path[from..].iter().map(|&(p, _)| p).collect();
                        diags.push(cycle_error(notices, edges, &steps));
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                path.pop();
            }
        }
    }
    diags
}

fn cycle_error(notices: &[Notice], edges: &[Vec<(Relation, usize)>], steps: &[usize]) -> Diagnostic {
    let mut chain = Vec::new();
    for (k, &i) in steps.iter().enumerate() {
        let next = steps[(k + 1) % steps.len()];
        let relation = edges[i].iter().find(|(_, t)| *t == next).map_or(Relation::Amends, |(r, _)| *r);
        let n = &notices[i];
        let (line, _) = n.field_position(relation.field());
        chain.push(format!(
            "{}:{line} {} {}",
            n.display().display(),
            relation.field(),
            notices[next].display().display()
        ));
    }
    let first = &notices[steps[0]];
    let relation =
        edges[steps[0]].iter().find(|(_, t)| *t == steps[1 % steps.len()]).map_or(Relation::Amends, |(r, _)| *r);
    let (line, col) = first.field_position(relation.field());
    Diagnostic::new(Code::Relation, first.display(), "relations go round in a circle")
        .at(line, col)
        .field(relation.field())
        .found(chain.join(" → "))
        .expected("each notice amending, replacing or repealing only earlier documents")
        .hint("remove the relation written on the older notice")
}
