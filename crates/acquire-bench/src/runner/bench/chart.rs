//! The chart of the report: every ratio as a bar on a log scale, its target
//! as a black tick; green meets the target, red misses it, grey has none.

use std::path::Path;

use anyhow::{anyhow, Result};
use plotters::prelude::*;

use super::report::{fmt_ratio, Section};

const GREEN: RGBColor = RGBColor(46, 139, 87);
const RED: RGBColor = RGBColor(200, 50, 50);
const GREY: RGBColor = RGBColor(150, 150, 150);

/// Draws `path` (SVG) from the sections' ratios.
pub fn draw(path: &Path, sections: &[Section]) -> Result<()> {
    let bars: Vec<(String, &super::Ratio)> = sections
        .iter()
        .flat_map(|s| {
            s.ratios
                .iter()
                .map(move |r| (format!("{}. {}", s.number, r.label), r))
        })
        .collect();
    let rows = bars.len().max(1);
    let height = 90 + 46 * rows as u32;
    let (lo, hi) = range(bars.iter().map(|(_, r)| *r));

    let root = SVGBackend::new(path, (960, height)).into_drawing_area();
    let err = |e: &dyn std::fmt::Display| anyhow!("plotting: {e}");
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Ratios against their targets (bar: measured; black tick: target)",
            ("sans-serif", 18),
        )
        .margin(12)
        .margin_right(40)
        .x_label_area_size(36)
        .build_cartesian_2d((lo..hi).log_scale(), 0f64..rows as f64)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .y_labels(0)
        .disable_y_mesh()
        .x_desc("ratio, log scale")
        .x_label_formatter(&|x| format!("{}×", fmt_ratio(*x)))
        .draw()
        .map_err(|e| err(&e))?;

    for (i, (label, ratio)) in bars.iter().enumerate() {
        let top = (rows - i) as f64;
        let color = match ratio.pass() {
            Some(true) => GREEN,
            Some(false) => RED,
            None => GREY,
        };
        let value = ratio.value.clamp(lo, hi);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(lo, top - 0.95), (value, top - 0.6)],
                color.filled(),
            )))
            .map_err(|e| err(&e))?;
        if let Some(target) = ratio.target {
            let target = target.clamp(lo, hi);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(target, top - 1.0), (target, top - 0.55)],
                    BLACK.stroke_width(3),
                )))
                .map_err(|e| err(&e))?;
        }
        let text = match ratio.pass() {
            Some(pass) => format!(
                "{label}: {}× (target {}, {})",
                fmt_ratio(ratio.value),
                ratio.target_text(),
                if pass { "pass" } else { "miss" }
            ),
            None => format!("{label}: {}× (no target)", fmt_ratio(ratio.value)),
        };
        chart
            .draw_series(std::iter::once(Text::new(
                text,
                (lo * 1.02, top - 0.08),
                ("sans-serif", 14).into_font().color(&BLACK),
            )))
            .map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// A log range covering every value and target with some room, in powers of
/// ten from 0.1 up.
fn range<'a>(ratios: impl Iterator<Item = &'a super::Ratio>) -> (f64, f64) {
    let mut lo: f64 = 0.1;
    let mut hi: f64 = 10.0;
    for r in ratios {
        for v in std::iter::once(r.value).chain(r.target) {
            if v.is_finite() && v > 0.0 {
                lo = lo.min(10f64.powf((v / 2.0).log10().floor()));
                hi = hi.max(10f64.powf((v * 2.0).log10().ceil()));
            }
        }
    }
    (lo, hi)
}
