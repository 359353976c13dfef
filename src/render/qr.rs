//! 扫一扫: the QR code of a notice's permanent URL, made at build time. The
//! `qrcode` crate makes the code; it is written as a one-bit PNG of one pixel a
//! module, inlined as a data URI and scaled up by the browser without smoothing
//! (`image-rendering: pixelated`). About 450 bytes a page, where an SVG path of
//! the same code was 1.6 KB — 12 MB on 10,000 pages — and no request more.

use base64::Engine as _;
use qrcode::{Color, EcLevel, QrCode};

/// Modules of light margin on each side, as the QR standard asks.
const QUIET: usize = 4;

/// Screen pixels a module: whole pixels keep every module the same size.
const SCALE: usize = 3;

/// The `<img>` of `url`'s QR code, or None if the URL is too long for any QR
/// version. Error correction L: read off a screen or a clean printed page it is
/// enough, and it keeps the code a version smaller (33 modules, not 37, for a
/// typical notice URL).
pub fn img(url: &str, label: &str) -> Option<String> {
    // Choosing the mask is most of the work, and a URL's code never changes.
    crate::cache::memo(
        "qr-png",
        &[url.as_bytes(), label.as_bytes()],
        || draw(url, label),
        |img| Some(img.clone().unwrap_or_default().into_bytes()),
        |bytes| String::from_utf8(bytes.to_vec()).ok().map(|s| (!s.is_empty()).then_some(s)),
    )
}

fn draw(url: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::L).ok()?;
    let size = code.width() + 2 * QUIET;
    let png = png(&code.to_colors(), code.width())?;
    let data = base64::engine::general_purpose::STANDARD.encode(png);
    let px = size * SCALE;
    Some(format!(
        "<img class=\"qr\" src=\"data:image/png;base64,{data}\" width=\"{px}\" height=\"{px}\" alt=\"{label}\">"
    ))
}

/// The code of `n`×`n` modules with its quiet zone, as a one-bit greyscale PNG
/// (0 is black), one pixel a module.
fn png(colors: &[Color], n: usize) -> Option<Vec<u8>> {
    let size = n + 2 * QUIET;
    let row_bytes = size.div_ceil(8);
    let mut pixels = vec![0xFFu8; row_bytes * size];
    for (y, row) in colors.chunks(n).enumerate() {
        for (x, _) in row.iter().enumerate().filter(|(_, c)| **c == Color::Dark) {
            let (px, py) = (x + QUIET, y + QUIET);
            pixels[py * row_bytes + px / 8] &= !(0x80 >> (px % 8));
        }
    }
    let mut out = Vec::with_capacity(512);
    let side = u32::try_from(size).ok()?;
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&pixels).ok()?;
    writer.finish().ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decode the image's PNG and scale it up, one module `scale` pixels.
    fn raster(img: &str, scale: usize) -> (usize, Vec<u8>) {
        let data = img.split("base64,").nth(1).unwrap().split('"').next().unwrap();
        let png = base64::engine::general_purpose::STANDARD.decode(data).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.color_type, info.bit_depth), (png::ColorType::Grayscale, png::BitDepth::One));
        let (size, row_bytes) = (info.width as usize, info.line_size);
        let w = size * scale;
        let mut pixels = vec![255u8; w * w];
        for y in 0..w {
            for x in 0..w {
                let (mx, my) = (x / scale, y / scale);
                if buf[my * row_bytes + mx / 8] & (0x80 >> (mx % 8)) == 0 {
                    pixels[y * w + x] = 0;
                }
            }
        }
        (w, pixels)
    }

    fn decode(img: &str) -> String {
        let (w, pixels) = raster(img, 4);
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, w, |x, y| pixels[y * w + x]);
        let grids = prepared.detect_grids();
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
            assert_eq!(decode(&img(url, "二维码").unwrap()), url);
        }
    }

    #[test]
    fn a_url_too_long_for_any_code_gives_none() {
        assert!(img(&"a".repeat(5000), "二维码").is_none());
    }

    #[test]
    fn the_image_is_a_few_hundred_bytes_at_whole_pixels_a_module() {
        let s = img("https://example.gov.cn/gongkai/notices/tongyu-yiwu-jiaoyu-junheng-guihua/", "二维码").unwrap();
        assert!(s.len() < 700, "{} bytes: {s}", s.len());
        // 33 modules and the quiet zone, 3 pixels each.
        assert!(s.contains(r#"width="123" height="123" alt="二维码""#), "{s}");
    }
}
