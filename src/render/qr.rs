//! 扫一扫: the QR code of a notice's permanent URL, drawn at build time as inline
//! SVG. The `qrcode` crate makes the code; it is drawn here as one path of
//! horizontal strokes, one per run of dark modules, with relative moves — about
//! a quarter of the bytes of a square per module, which matters on 10,000 pages.

use std::fmt::Write;

use qrcode::{Color, EcLevel, QrCode};

/// Modules of light margin on each side, as the QR standard asks.
const QUIET: usize = 4;

/// The SVG of `url`'s QR code, or None if the URL is too long for any QR version.
/// Error correction L: read off a screen or a clean printed page it is enough,
/// and it keeps the code a version smaller (33 modules, not 37, for a typical
/// notice URL) — a fifth fewer bytes on every page.
pub fn svg(url: &str, label: &str) -> Option<String> {
    // Choosing the mask is most of the work, and a URL's code never changes.
    crate::cache::memo(
        "qr",
        &[url.as_bytes(), label.as_bytes()],
        || draw(url, label),
        |svg| Some(svg.clone().unwrap_or_default().into_bytes()),
        |bytes| String::from_utf8(bytes.to_vec()).ok().map(|s| (!s.is_empty()).then_some(s)),
    )
}

fn draw(url: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::L).ok()?;
    let n = code.width();
    let size = n + 2 * QUIET;
    let d = path(&code.to_colors(), n);
    Some(format!(
        "<svg class=\"qr\" viewBox=\"0 0 {size} {size}\" width=\"132\" height=\"132\" role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{d}\"/></svg>"
    ))
}

/// The path drawing the dark modules of an `n`×`n` code: each run of dark modules
/// in a row is a stroke of width 1 along the row's middle line.
fn path(colors: &[Color], n: usize) -> String {
    let mut d = String::new();
    // Where the last stroke ended (its row's top edge; the first move adds the .5
    // that puts every stroke on its row's middle line, and relative moves keep it).
    let mut pen: Option<(i64, i64)> = None;
    for (y, row) in colors.chunks(n).enumerate() {
        let mut x = 0;
        while x < n {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < n && row[x] == Color::Dark {
                x += 1;
            }
            let (sx, sy) = ((start + QUIET) as i64, (y + QUIET) as i64);
            let len = x - start;
            match pen {
                None => write!(d, "M{sx} {sy}.5h{len}"),
                Some((px, py)) => write!(d, "m{} {}h{len}", sx - px, sy - py),
            }
            .expect("writing to a String");
            pen = Some((sx + len as i64, sy));
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draw the path the way a browser would: each `h` a run of dark pixels, at
    /// `scale` pixels a module.
    fn raster(svg: &str, scale: usize) -> (usize, Vec<u8>) {
        let size: usize = svg.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let w = size * scale;
        let mut pixels = vec![255u8; w * w];
        let (mut x, mut y) = (0i64, 0f64);
        let numbers = |s: &str| -> Vec<f64> { s.split(' ').map(|v| v.parse().unwrap()).collect() };
        for (k, part) in d.split(['M', 'm']).filter(|p| !p.is_empty()).enumerate() {
            let (mv, h) = part.split_once('h').unwrap();
            let v = numbers(mv);
            if k == 0 {
                (x, y) = (v[0] as i64, v[1]);
            } else {
                (x, y) = (x + v[0] as i64, y + v[1]);
            }
            let len: i64 = h.parse().unwrap();
            let row = y.floor() as usize;
            for px in (x as usize * scale)..((x + len) as usize * scale) {
                for py in (row * scale)..((row + 1) * scale) {
                    pixels[py * w + px] = 0;
                }
            }
            x += len;
        }
        (w, pixels)
    }

    fn decode(svg: &str) -> String {
        let (w, pixels) = raster(svg, 4);
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, w, |x, y| pixels[y * w + x]);
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        grids[0].decode().expect("the code decodes").1
    }

    #[test]
    fn the_drawn_code_reads_back_as_the_url() {
        for url in [
            "https://example.gov.cn/gongkai/notices/tongyu-yiwu-jiaoyu-junheng-guihua/",
            "https://example.org/sub/2018/%E9%80%9A%E6%A6%86/",
            "http://x/",
        ] {
            assert_eq!(decode(&svg(url, "二维码").unwrap()), url);
        }
    }

    #[test]
    fn a_url_too_long_for_any_code_gives_none() {
        assert!(svg(&"a".repeat(5000), "二维码").is_none());
    }

    #[test]
    fn the_path_is_a_few_bytes_per_run() {
        let s = svg("https://example.gov.cn/gongkai/notices/tongyu-yiwu-jiaoyu-junheng-guihua/", "二维码").unwrap();
        assert!(s.len() < 2000, "{} bytes", s.len());
    }
}
