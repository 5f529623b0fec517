//! Report charts for imfsim: bar, grouped bar, time-series band, scatter with
//! frontier and tornado charts, rendered to SVG or PNG with `plotters`.
//!
//! The module is pure: chart data in, document bytes out. Both outputs share a
//! single drawing routine that is generic over the `plotters` drawing backend,
//! so SVG and PNG always show the same picture.
//!
//! Text in PNG output is rasterised with the bundled DejaVu Sans font
//! (`assets/DejaVuSans.ttf`, embedded at compile time), so no system font
//! library is needed. SVG output keeps text as `<text>` elements with the
//! generic `sans-serif` family; the bundled font is still registered because
//! the layout code measures text with it.
//!
//! Robustness: non-finite values (NaN, ±inf) are skipped, empty inputs give an
//! empty chart with a "No data" note, and failures are returned as
//! [`ChartError`], never panics.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontStyle, FontTransform, register_font};

/// Width in pixels of every rendered chart (PNG pixels, SVG user units).
pub const WIDTH: u32 = 1000;
/// Height in pixels of every rendered chart (PNG pixels, SVG user units).
pub const HEIGHT: u32 = 600;

/// The bundled font used to measure and rasterise text (DejaVu Sans, see
/// `assets/DejaVuSans.LICENSE`).
static FONT_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/DejaVuSans.ttf"
));

/// Font family name under which the bundled font is registered.
const FAMILY: &str = "sans-serif";

// ---------------------------------------------------------------------------
// Public data model
// ---------------------------------------------------------------------------

/// One category bar: a label, a mean and an optional 95% CI half-width
/// (drawn as an error bar). Non-finite means are shown as "n/a" without a bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bar {
    /// Category label shown under the bar.
    pub label: String,
    /// Bar height (mean across replications).
    pub mean: f64,
    /// Half-width of the 95% confidence interval; `None`, negative or
    /// non-finite means no error bar.
    pub half_width: Option<f64>,
}

/// A bar chart of categories with optional CI error bars, e.g. the inspected
/// share per mail stream.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarChart {
    /// Chart title shown at the top.
    pub title: String,
    /// Y-axis label, including units (e.g. "Mean wait (hours)").
    pub y_label: String,
    /// One bar per category, drawn left to right.
    pub bars: Vec<Bar>,
    /// When true, values are fractions in 0..1 and are shown as percentages.
    pub percent: bool,
    /// When true, the quantity cannot be negative (a count, a share, a wait): the axis starts
    /// at 0 and lower whiskers are clamped there. Leave false for differences.
    pub non_negative: bool,
}

/// Grouped bars: for each category, one bar per series (e.g. seized vs missed
/// by stream).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupedBarChart {
    /// Chart title shown at the top.
    pub title: String,
    /// Y-axis label, including units.
    pub y_label: String,
    /// Category labels along the x axis.
    pub categories: Vec<String>,
    /// Series name and one bar per category (index-aligned with
    /// `categories`; the bars' own labels are only used when `categories` is
    /// shorter).
    pub series: Vec<(String, Vec<Bar>)>,
    /// When true, the quantity cannot be negative: the axis starts at 0 and lower whiskers are
    /// clamped there. Leave false for differences.
    pub non_negative: bool,
}

/// A time-series band: x values (e.g. day), the mean line and a lower/upper
/// band (e.g. 5%–95% across replications). The vectors are index-aligned;
/// points with a non-finite value are left out (the line/band has a gap).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BandChart {
    /// Chart title shown at the top.
    pub title: String,
    /// X-axis label, including units (e.g. "Day").
    pub x_label: String,
    /// Y-axis label, including units.
    pub y_label: String,
    /// X values (sorted on drawing).
    pub x: Vec<f64>,
    /// Mean line values.
    pub mean: Vec<f64>,
    /// Lower edge of the band.
    pub lower: Vec<f64>,
    /// Upper edge of the band.
    pub upper: Vec<f64>,
    /// Legend text for the band (e.g. "5%–95% of replications").
    pub band_label: String,
}

/// Scatter with error bars and an optional highlighted frontier line (cost vs
/// benefit), used to compare policy options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScatterChart {
    /// Chart title shown at the top.
    pub title: String,
    /// X-axis label, including units.
    pub x_label: String,
    /// Y-axis label, including units.
    pub y_label: String,
    /// The options to plot; each is labelled next to its marker.
    pub points: Vec<ScatterPoint>,
    /// Indices into `points`, in x order, drawn as a connected highlighted
    /// line (the efficient frontier). Invalid indices are ignored.
    pub frontier: Vec<usize>,
    /// When true, y cannot be negative: lower whiskers are clamped at 0 and the y axis does
    /// not extend below 0.
    pub non_negative: bool,
}

/// One option in a [`ScatterChart`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScatterPoint {
    /// Short label drawn next to the marker.
    pub label: String,
    /// X value (e.g. cost).
    pub x: f64,
    /// Y value (e.g. benefit).
    pub y: f64,
    /// Half-width of the 95% CI on `y`, drawn as a vertical error bar.
    pub y_half_width: Option<f64>,
}

/// Horizontal tornado chart: for each input, the objective at its low and
/// high setting, around a base value. Rows are sorted by swing, largest on
/// top.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TornadoChart {
    /// Chart title shown at the top.
    pub title: String,
    /// X-axis label: the objective, including units.
    pub x_label: String,
    /// Objective value with every input at its base setting.
    pub base: f64,
    /// One row per varied input.
    pub rows: Vec<TornadoRow>,
}

/// One input of a [`TornadoChart`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TornadoRow {
    /// Input name shown on the left.
    pub label: String,
    /// Objective with this input at its low setting.
    pub low: f64,
    /// Objective with this input at its high setting.
    pub high: f64,
}

/// Any chart this module can render; call [`Chart::to_svg`] or
/// [`Chart::to_png`].
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Bars per category with optional CI error bars.
    Bar(BarChart),
    /// Several series of bars per category.
    GroupedBar(GroupedBarChart),
    /// Mean line with an uncertainty band over x.
    Band(BandChart),
    /// Options as points with CI bars and a frontier line.
    Scatter(ScatterChart),
    /// One-way sensitivity as a tornado.
    Tornado(TornadoChart),
}

/// Why a chart could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The bundled font could not be loaded or registered.
    #[error("chart font error: {0}")]
    Font(String),
    /// The plotting backend failed while drawing.
    #[error("chart drawing error: {0}")]
    Draw(String),
    /// The rendered bitmap could not be encoded as PNG.
    #[error("PNG encoding error: {0}")]
    Encode(String),
}

impl Chart {
    /// Render as an SVG document (UTF-8 string). Text stays as SVG `<text>`
    /// in the `sans-serif` family, so the viewer needs no special font.
    pub fn to_svg(&self) -> Result<String, ChartError> {
        ensure_font()?;
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
            self.draw_on(&root)?;
            root.present().map_err(draw_err)?;
        }
        Ok(out)
    }

    /// Render as PNG bytes (RGB, [`WIDTH`] x [`HEIGHT`]), entirely in memory.
    pub fn to_png(&self) -> Result<Vec<u8>, ChartError> {
        use image::ImageEncoder;
        ensure_font()?;
        let mut buf = vec![0u8; (WIDTH as usize) * (HEIGHT as usize) * 3];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
            self.draw_on(&root)?;
            root.present().map_err(draw_err)?;
        }
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(&buf, WIDTH, HEIGHT, image::ColorType::Rgb8)
            .map_err(|e| ChartError::Encode(e.to_string()))?;
        Ok(png)
    }

    /// The chart's title, e.g. for a caption or file name in a report.
    pub fn title(&self) -> &str {
        match self {
            Chart::Bar(c) => &c.title,
            Chart::GroupedBar(c) => &c.title,
            Chart::Band(c) => &c.title,
            Chart::Scatter(c) => &c.title,
            Chart::Tornado(c) => &c.title,
        }
    }

    /// Shared drawing routine for every backend.
    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        root.fill(&WHITE).map_err(draw_err)?;
        match self {
            Chart::Bar(c) => draw_bar_chart(root, c),
            Chart::GroupedBar(c) => draw_grouped_bar_chart(root, c),
            Chart::Band(c) => draw_band_chart(root, c),
            Chart::Scatter(c) => draw_scatter_chart(root, c),
            Chart::Tornado(c) => draw_tornado_chart(root, c),
        }
    }
}

impl From<BarChart> for Chart {
    fn from(c: BarChart) -> Self {
        Chart::Bar(c)
    }
}
impl From<GroupedBarChart> for Chart {
    fn from(c: GroupedBarChart) -> Self {
        Chart::GroupedBar(c)
    }
}
impl From<BandChart> for Chart {
    fn from(c: BandChart) -> Self {
        Chart::Band(c)
    }
}
impl From<ScatterChart> for Chart {
    fn from(c: ScatterChart) -> Self {
        Chart::Scatter(c)
    }
}
impl From<TornadoChart> for Chart {
    fn from(c: TornadoChart) -> Self {
        Chart::Tornado(c)
    }
}

// ---------------------------------------------------------------------------
// Font, errors, styles
// ---------------------------------------------------------------------------

/// Register the bundled font once per process; the outcome is cached so a
/// failure is reported on every call instead of panicking.
fn ensure_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            for style in [
                FontStyle::Normal,
                FontStyle::Bold,
                FontStyle::Italic,
                FontStyle::Oblique,
            ] {
                register_font(FAMILY, style, FONT_BYTES)
                    .map_err(|_| "bundled assets/DejaVuSans.ttf is not a valid font".to_string())?;
            }
            Ok(())
        })
        .clone()
        .map_err(ChartError::Font)
}

fn draw_err<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> ChartError {
    ChartError::Draw(e.to_string())
}

type Chart2d<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

const TEXT: RGBColor = RGBColor(33, 33, 33);
const MUTED: RGBColor = RGBColor(90, 90, 90);
const GRID: RGBColor = RGBColor(225, 225, 225);
const AXIS: RGBColor = RGBColor(60, 60, 60);
const ERR: RGBColor = RGBColor(40, 40, 40);
/// Tableau-10 palette: distinct, print-friendly series colours.
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];
const HIGHLIGHT: RGBColor = RGBColor(214, 39, 40);

const TITLE_SIZE: f64 = 24.0;
const TICK_SIZE: f64 = 15.0;
const DESC_SIZE: f64 = 17.0;
const LEGEND_SIZE: f64 = 15.0;
const NOTE_SIZE: f64 = 13.0;

const MARGIN_LEFT: u32 = 15;
const MARGIN_RIGHT: u32 = 30;
const MARGIN_BOTTOM: u32 = 12;
const Y_TICKS: usize = 8;
const X_TICKS: usize = 10;
/// Height of a numeric x label area: tick labels plus the axis description.
const X_AREA_NUMERIC: u32 = 62;

fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from(FontDesc::new(
        FontFamily::SansSerif,
        size,
        FontStyle::Normal,
    ))
    .color(&TEXT)
}

fn anchored(size: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    font(size).pos(Pos::new(h, v))
}

/// Width in pixels of `text` at `size`, measured with the bundled font
/// (falls back to a rough estimate if measuring fails).
fn text_width(text: &str, size: f64) -> f64 {
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal)
        .box_size(text)
        .map(|(w, _)| f64::from(w))
        .unwrap_or_else(|_| text.chars().count() as f64 * size * 0.6)
}

/// Shorten `text` with an ellipsis until it fits `max_w` pixels.
fn truncate_to_width(text: &str, size: f64, max_w: f64) -> String {
    if text_width(text, size) <= max_w {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(&candidate, size) <= max_w {
            return candidate;
        }
    }
    "…".to_string()
}

/// Greedy word wrap into at most `max_lines` lines of `max_w` pixels;
/// `None` if it cannot fit.
fn wrap_words(text: &str, size: f64, max_w: f64, max_lines: usize) -> Option<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if text_width(word, size) > max_w {
            return None;
        }
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, size) <= max_w {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    (lines.len() <= max_lines).then_some(lines)
}

// ---------------------------------------------------------------------------
// Numbers and ranges
// ---------------------------------------------------------------------------

/// Format with fixed decimals and thousands separators; "n/a" if not finite.
fn fmt_num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    let digits: Vec<char> = int.chars().collect();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(*c);
    }
    let is_zero = s.chars().all(|c| c == '0' || c == '.');
    let mut out = if v < 0.0 && !is_zero {
        "-".to_string()
    } else {
        String::new()
    };
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    out
}

/// How numbers on one axis (or one annotation) are written.
#[derive(Clone, Copy, Debug)]
struct NumFmt {
    percent: bool,
    decimals: usize,
    /// Scientific notation for magnitudes fixed decimals cannot show well.
    sci: bool,
}

impl NumFmt {
    fn fmt(&self, v: f64) -> String {
        if self.sci {
            let v = if self.percent { v * 100.0 } else { v };
            if !v.is_finite() {
                return "n/a".to_string();
            }
            let unit = if self.percent { "%" } else { "" };
            return format!("{:.*e}{unit}", self.decimals, v);
        }
        if self.percent {
            if v.is_finite() {
                format!("{}%", fmt_num(v * 100.0, self.decimals))
            } else {
                "n/a".to_string()
            }
        } else {
            fmt_num(v, self.decimals)
        }
    }

    /// Smallest number of decimals that writes every tick `plotters` will
    /// place on `lo..hi` (with `n` labels) exactly.
    fn axis(lo: f64, hi: f64, n: usize, percent: bool) -> Self {
        let scale = if percent { 100.0 } else { 1.0 };
        let ticks = tick_values(lo, hi, n);
        let step = match ticks.as_slice() {
            [a, b, ..] => (b - a).abs() * scale,
            _ => (hi - lo).abs() * scale,
        };
        let big = lo.abs().max(hi.abs()) * scale;
        if big >= 1e12 || (step > 0.0 && step < 1e-5) {
            return Self {
                percent,
                decimals: 2,
                sci: true,
            };
        }
        let mut decimals = 0;
        if step.is_finite() && step > 0.0 {
            while decimals < 6 {
                let p = 10f64.powi(decimals as i32);
                let ok = ticks.iter().all(|t| {
                    let v = t * scale;
                    ((v * p).round() / p - v).abs() <= step * 1e-3
                });
                if ok {
                    break;
                }
                decimals += 1;
            }
        }
        Self {
            percent,
            decimals,
            sci: false,
        }
    }

    /// Format for a single value label: about three significant digits.
    fn value(v: f64, percent: bool) -> Self {
        let a = if percent { v.abs() * 100.0 } else { v.abs() };
        if a.is_finite() && (a >= 1e12 || (a > 0.0 && a < 1e-3)) {
            return Self {
                percent,
                decimals: 2,
                sci: true,
            };
        }
        let decimals = if !a.is_finite() || a >= 100.0 {
            0
        } else if a >= 10.0 || percent {
            1
        } else if a >= 1.0 || a <= 0.0 {
            2
        } else {
            3
        };
        Self {
            percent,
            decimals,
            sci: false,
        }
    }
}

fn tick_values(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || n == 0 {
        return Vec::new();
    }
    RangedCoordf64::from(lo..hi).key_points(n)
}

/// Pick the largest tick count (at most `max`) whose labels fit side by side
/// in `plot_w` pixels, with its matching number format.
fn fit_x_ticks(lo: f64, hi: f64, max: usize, percent: bool, plot_w: f64) -> (usize, NumFmt) {
    for n in (2..=max).rev() {
        let f = NumFmt::axis(lo, hi, n, percent);
        let ticks = tick_values(lo, hi, n);
        let widest = ticks
            .iter()
            .map(|t| text_width(&f.fmt(*t), TICK_SIZE))
            .fold(0.0, f64::max);
        let needed = (widest + 16.0) * ticks.len() as f64;
        if needed <= plot_w {
            return (n, f);
        }
    }
    (2, NumFmt::axis(lo, hi, 2, percent))
}

/// Width of a y label area: widest tick label + rotated axis description.
fn y_area_width(lo: f64, hi: f64, n: usize, f: NumFmt, has_desc: bool) -> u32 {
    let widest = tick_values(lo, hi, n)
        .iter()
        .map(|t| text_width(&f.fmt(*t), TICK_SIZE))
        .fold(text_width("0", TICK_SIZE), f64::max);
    let desc = if has_desc { DESC_SIZE + 14.0 } else { 0.0 };
    (widest + 16.0 + desc).ceil().clamp(40.0, 220.0) as u32
}

/// Min and max of the finite values, if any.
fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Make a drawable range: finite, non-empty, padded by `pad` (fraction of
/// the span) on each side.
fn padded(lo: f64, hi: f64, pad_lo: f64, pad_hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    let span = hi - lo;
    if !span.is_finite() {
        return (0.0, 1.0);
    }
    if span <= f64::EPSILON * lo.abs().max(hi.abs()).max(1.0) {
        let d = if lo.abs() > 0.0 { lo.abs() * 0.1 } else { 1.0 };
        return (lo - d, hi + d);
    }
    (lo - span * pad_lo, hi + span * pad_hi)
}

/// Value range for bars: always includes zero, headroom for value labels.
fn bar_value_range(values: &[f64], percent: bool) -> (f64, f64) {
    let (lo, hi) = extent(values.iter().copied()).unwrap_or((0.0, 1.0));
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    if hi - lo <= f64::EPSILON {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    let top = if hi > 0.0 { hi + span * 0.12 } else { hi };
    let bottom = if lo < 0.0 { lo - span * 0.12 } else { lo };
    let top = if percent && hi <= 1.0 && top > 1.0 {
        top.min(1.08)
    } else {
        top
    };
    padded(bottom, top, 0.0, 0.0)
}

fn valid_hw(hw: Option<f64>) -> Option<f64> {
    hw.filter(|h| h.is_finite() && *h >= 0.0)
}

// ---------------------------------------------------------------------------
// Shared layout pieces: header, legend, mesh, category labels
// ---------------------------------------------------------------------------

/// What a legend entry's sample looks like.
#[derive(Clone, Copy)]
enum Swatch {
    Box(RGBColor),
    Line(RGBColor),
    Band(RGBColor),
    Marker(RGBColor),
    ErrorBar,
}

struct LegendItem {
    label: String,
    swatch: Swatch,
}

fn legend(label: impl Into<String>, swatch: Swatch) -> LegendItem {
    LegendItem {
        label: label.into(),
        swatch,
    }
}

/// Draw the title and a centred legend row above the plot; returns the top
/// margin the plot must leave free.
fn draw_header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    items: &[LegendItem],
) -> Result<u32, ChartError> {
    let max_w = f64::from(WIDTH) - 40.0;
    let mut size = TITLE_SIZE;
    while size > 16.0 && text_width(title, size) > max_w {
        size -= 1.0;
    }
    let title = truncate_to_width(title, size, max_w);
    root.draw_text(
        &title,
        &anchored(size, HPos::Center, VPos::Top),
        ((WIDTH / 2) as i32, 14),
    )
    .map_err(draw_err)?;
    let mut y = 14.0 + size + 10.0;

    // Pack legend entries into centred rows.
    const SW: f64 = 24.0;
    const GAP: f64 = 26.0;
    let max_label = f64::from(WIDTH) / 2.0;
    let entries: Vec<(String, Swatch, f64)> = items
        .iter()
        .map(|it| {
            let label = truncate_to_width(&it.label, LEGEND_SIZE, max_label);
            let w = SW + 6.0 + text_width(&label, LEGEND_SIZE);
            (label, it.swatch, w)
        })
        .collect();
    let mut rows: Vec<Vec<&(String, Swatch, f64)>> = Vec::new();
    let mut row_w = 0.0;
    for e in &entries {
        let add = if rows.last().is_some_and(|r| !r.is_empty()) {
            GAP + e.2
        } else {
            e.2
        };
        match rows.last_mut() {
            Some(r) if row_w + add <= max_w - 40.0 => {
                r.push(e);
                row_w += add;
            }
            _ => {
                rows.push(vec![e]);
                row_w = e.2;
            }
        }
    }
    for row in rows {
        let total: f64 = row.iter().map(|e| e.2).sum::<f64>() + GAP * (row.len() as f64 - 1.0);
        let mut x = (f64::from(WIDTH) - total) / 2.0;
        let yc = (y + 10.0) as i32;
        for (label, swatch, w) in row {
            draw_swatch(root, *swatch, x as i32, yc)?;
            root.draw_text(
                label,
                &anchored(LEGEND_SIZE, HPos::Left, VPos::Center),
                ((x + SW + 6.0) as i32, yc + 1),
            )
            .map_err(draw_err)?;
            x += w + GAP;
        }
        y += 24.0;
    }
    Ok((y + 6.0).ceil() as u32)
}

fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    x: i32,
    yc: i32,
) -> Result<(), ChartError> {
    let r = match swatch {
        Swatch::Box(c) => root.draw(&Rectangle::new(
            [(x + 2, yc - 7), (x + 22, yc + 7)],
            c.filled(),
        )),
        Swatch::Line(c) => root.draw(&PathElement::new(
            vec![(x, yc), (x + 24, yc)],
            c.stroke_width(3),
        )),
        Swatch::Band(c) => root.draw(&Rectangle::new(
            [(x, yc - 8), (x + 24, yc + 8)],
            c.mix(0.25).filled(),
        )),
        Swatch::Marker(c) => root.draw(&Circle::new((x + 12, yc), 5, c.filled())),
        Swatch::ErrorBar => {
            let s = ERR.stroke_width(2);
            root.draw(&PathElement::new(
                vec![(x + 12, yc - 8), (x + 12, yc + 8)],
                s,
            ))
            .and_then(|_| {
                root.draw(&PathElement::new(
                    vec![(x + 7, yc - 8), (x + 17, yc - 8)],
                    s,
                ))
            })
            .and_then(|_| {
                root.draw(&PathElement::new(
                    vec![(x + 7, yc + 8), (x + 17, yc + 8)],
                    s,
                ))
            })
        }
    };
    r.map_err(draw_err)
}

/// Axis formatting for one mesh axis; `None` means a category axis whose
/// labels are drawn separately.
#[derive(Clone, Copy)]
struct AxisFmt {
    ticks: usize,
    fmt: NumFmt,
}

fn draw_mesh<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    x: Option<AxisFmt>,
    y: Option<AxisFmt>,
    x_desc: &str,
    y_desc: &str,
) -> Result<(), ChartError> {
    let xf = move |v: &f64| x.map(|a| a.fmt.fmt(*v)).unwrap_or_default();
    let yf = move |v: &f64| y.map(|a| a.fmt.fmt(*v)).unwrap_or_default();
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(x.map_or(0, |a| a.ticks))
        .y_labels(y.map_or(0, |a| a.ticks))
        .x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .label_style(font(TICK_SIZE))
        .axis_desc_style(font(DESC_SIZE))
        .bold_line_style(GRID.stroke_width(1))
        .max_light_lines(0)
        .axis_style(AXIS.stroke_width(1));
    if x.is_none() {
        mesh.disable_x_mesh();
    }
    if y.is_none() {
        mesh.disable_y_mesh();
    }
    if !x_desc.trim().is_empty() {
        mesh.x_desc(x_desc);
    }
    if !y_desc.trim().is_empty() {
        mesh.y_desc(y_desc);
    }
    mesh.draw().map_err(draw_err)
}

/// Centred "No data" note inside the plotting area.
fn draw_no_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart2d<'_, DB>,
) -> Result<(), ChartError> {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    root.draw_text(
        "No data",
        &anchored(DESC_SIZE + 3.0, HPos::Center, VPos::Center).color(&MUTED),
        ((xr.start + xr.end) / 2, (yr.start + yr.end) / 2),
    )
    .map_err(draw_err)
}

/// How category labels under an x axis are laid out.
enum CatLabels {
    /// Horizontal, each label wrapped into one or more lines of `size` px.
    Lines { lines: Vec<Vec<String>>, size: f64 },
    /// Rotated to read bottom-to-top (labels shortened if needed); only
    /// every `step`-th label is drawn when the categories are very dense.
    Rotated { labels: Vec<String>, step: usize },
}

const CAT_ROTATED_MAX: f64 = 190.0;

/// Choose horizontal (wrapped) labels when they fit in each category's slot,
/// otherwise rotate them. Returns the layout and the label area height.
fn layout_categories(labels: &[String], slot_px: f64) -> (CatLabels, u32) {
    let max_w = (slot_px * 0.94 - 4.0).max(1.0);
    for size in [TICK_SIZE, TICK_SIZE - 2.0] {
        let wrapped: Option<Vec<Vec<String>>> = labels
            .iter()
            .map(|l| wrap_words(l, size, max_w, 3))
            .collect();
        if let Some(lines) = wrapped {
            let n = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = (n as f64 * line_height(size) + 16.0).ceil() as u32;
            return (CatLabels::Lines { lines, size }, h);
        }
    }
    let step = ((TICK_SIZE * 1.25) / slot_px.max(1.0)).ceil().max(1.0) as usize;
    let short: Vec<String> = labels
        .iter()
        .map(|l| truncate_to_width(l.trim(), TICK_SIZE, CAT_ROTATED_MAX))
        .collect();
    let widest = short
        .iter()
        .map(|l| text_width(l, TICK_SIZE))
        .fold(0.0, f64::max);
    (
        CatLabels::Rotated {
            labels: short,
            step,
        },
        (widest + 22.0).ceil() as u32,
    )
}

fn line_height(size: f64) -> f64 {
    (size * 1.2).ceil()
}

/// Draw category labels below the plot, centred on x = 0, 1, 2, ...
fn draw_category_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart2d<'_, DB>,
    cats: &CatLabels,
) -> Result<(), ChartError> {
    let (_, yr) = chart.plotting_area().get_pixel_range();
    let top = yr.end + 8;
    match cats {
        CatLabels::Lines { lines: all, size } => {
            let style = anchored(*size, HPos::Center, VPos::Top);
            for (i, lines) in all.iter().enumerate() {
                let (px, _) = chart.backend_coord(&(i as f64, 0.0));
                for (k, line) in lines.iter().enumerate() {
                    let y = top + (k as f64 * line_height(*size)) as i32;
                    root.draw_text(line, &style, (px, y)).map_err(draw_err)?;
                }
            }
        }
        CatLabels::Rotated { labels, step } => {
            let style =
                anchored(TICK_SIZE, HPos::Right, VPos::Center).transform(FontTransform::Rotate270);
            for (i, label) in labels.iter().enumerate().step_by((*step).max(1)) {
                let (px, _) = chart.backend_coord(&(i as f64, 0.0));
                root.draw_text(label, &style, (px, top)).map_err(draw_err)?;
            }
        }
    }
    Ok(())
}

/// Keeps data coordinates within a bounded distance of the visible axis
/// ranges, so extreme values (e.g. `f64::MAX` or infinite CI ends) cannot
/// overflow the pixel mapping; anything beyond is simply off the plot edge.
#[derive(Clone, Copy)]
struct Clip {
    x: (f64, f64),
    y: (f64, f64),
}

impl Clip {
    fn of<DB: DrawingBackend>(chart: &Chart2d<'_, DB>) -> Self {
        let (xr, yr) = (chart.x_range(), chart.y_range());
        let widen = |a: f64, b: f64| {
            let s = (b - a).abs();
            (a.min(b) - s, a.max(b) + s)
        };
        Self {
            x: widen(xr.start, xr.end),
            y: widen(yr.start, yr.end),
        }
    }

    fn p(&self, x: f64, y: f64) -> (f64, f64) {
        let c = |v: f64, (lo, hi): (f64, f64)| if v.is_nan() { lo } else { v.clamp(lo, hi) };
        (c(x, self.x), c(y, self.y))
    }

    /// Pixel position of a (clamped) data point.
    fn px<DB: DrawingBackend>(&self, chart: &Chart2d<'_, DB>, x: f64, y: f64) -> (i32, i32) {
        chart.backend_coord(&self.p(x, y))
    }
}

/// Vertical error bar with caps, in data coordinates.
fn error_bar(k: Clip, x: f64, lo: f64, hi: f64, cap: f64) -> Vec<PathElement<(f64, f64)>> {
    let s = ERR.stroke_width(2);
    vec![
        PathElement::new(vec![k.p(x, lo), k.p(x, hi)], s),
        PathElement::new(vec![k.p(x - cap, lo), k.p(x + cap, lo)], s),
        PathElement::new(vec![k.p(x - cap, hi), k.p(x + cap, hi)], s),
    ]
}

/// Horizontal zero line when the value axis crosses zero.
fn draw_zero_line<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    x: (f64, f64),
    y: (f64, f64),
) -> Result<(), ChartError> {
    if y.0 < 0.0 && y.1 > 0.0 {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x.0, 0.0), (x.1, 0.0)],
                AXIS.stroke_width(1),
            )))
            .map_err(draw_err)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Bar and grouped bar charts
// ---------------------------------------------------------------------------

/// One drawable bar in category coordinates.
struct PlacedBar {
    center: f64,
    half: f64,
    mean: f64,
    hw: Option<f64>,
    color: RGBColor,
}

/// Draw bars, their error bars and (space permitting) value labels.
fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut Chart2d<'_, DB>,
    bars: &[PlacedBar],
    percent: bool,
    non_negative: bool,
) -> Result<(), ChartError> {
    let k = Clip::of(chart);
    let low = |mean: f64, h: f64| {
        if non_negative {
            (mean - h).max(0.0)
        } else {
            mean - h
        }
    };
    let rects = bars.iter().filter(|b| b.mean.is_finite()).map(|b| {
        Rectangle::new(
            [k.p(b.center - b.half, 0.0), k.p(b.center + b.half, b.mean)],
            b.color.filled(),
        )
    });
    chart.draw_series(rects).map_err(draw_err)?;
    let errs = bars.iter().filter(|b| b.mean.is_finite()).flat_map(|b| {
        b.hw.map(|h| error_bar(k, b.center, low(b.mean, h), b.mean + h, b.half * 0.35))
            .unwrap_or_default()
    });
    chart.draw_series(errs).map_err(draw_err)?;

    // Value labels, only when every label fits over its bar; one number
    // format for the whole chart so labels are comparable.
    let largest = bars
        .iter()
        .map(|b| b.mean.abs())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let vf = NumFmt::value(largest, percent);
    let labels: Vec<(String, &PlacedBar)> = bars.iter().map(|b| (vf.fmt(b.mean), b)).collect();
    let fits = labels.iter().all(|(t, b)| {
        let (x0, _) = k.px(chart, b.center - b.half, 0.0);
        let (x1, _) = k.px(chart, b.center + b.half, 0.0);
        text_width(t, NOTE_SIZE) <= f64::from(x1 - x0) + 10.0
    });
    if !fits {
        return Ok(());
    }
    for (text, b) in labels {
        let (edge, above) = if !b.mean.is_finite() {
            (0.0, true)
        } else {
            let h = b.hw.unwrap_or(0.0);
            if b.mean >= 0.0 {
                (b.mean + h, true)
            } else {
                (low(b.mean, h), false)
            }
        };
        let (px, py) = k.px(chart, b.center, edge);
        let (v, dy) = if above {
            (VPos::Bottom, -4)
        } else {
            (VPos::Top, 4)
        };
        root.draw_text(
            &text,
            &anchored(NOTE_SIZE, HPos::Center, v).color(&MUTED),
            (px, py + dy),
        )
        .map_err(draw_err)?;
    }
    Ok(())
}

fn draw_bar_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &BarChart,
) -> Result<(), ChartError> {
    let n = c.bars.len();
    let any_ci = c
        .bars
        .iter()
        .any(|b| b.mean.is_finite() && valid_hw(b.half_width).is_some());
    let items = if any_ci {
        vec![
            legend("Mean", Swatch::Box(PALETTE[0])),
            legend("95% confidence interval", Swatch::ErrorBar),
        ]
    } else {
        Vec::new()
    };
    let top = draw_header(root, &c.title, &items)?;

    let mut values = Vec::new();
    for b in c.bars.iter().filter(|b| b.mean.is_finite()) {
        values.push(b.mean);
        if let Some(h) = valid_hw(b.half_width) {
            let lo = b.mean - h;
            values.extend([if c.non_negative { lo.max(0.0) } else { lo }, b.mean + h]);
        }
    }
    let (y0, y1) = bar_value_range(&values, c.percent);
    let yfmt = NumFmt::axis(y0, y1, Y_TICKS, c.percent);
    let y_area = y_area_width(y0, y1, Y_TICKS, yfmt, true);
    let plot_w = f64::from(WIDTH - MARGIN_LEFT - MARGIN_RIGHT - y_area);
    let labels: Vec<String> = c.bars.iter().map(|b| b.label.clone()).collect();
    let (cats, x_area) = layout_categories(&labels, plot_w / n.max(1) as f64);
    let x_range = (-0.5, n.max(1) as f64 - 0.5);

    let mut chart = ChartBuilder::on(root)
        .margin_top(top)
        .margin_bottom(MARGIN_BOTTOM)
        .margin_left(MARGIN_LEFT)
        .margin_right(MARGIN_RIGHT)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x_range.0..x_range.1, y0..y1)
        .map_err(draw_err)?;
    draw_mesh(
        &mut chart,
        None,
        Some(AxisFmt {
            ticks: Y_TICKS,
            fmt: yfmt,
        }),
        "",
        &c.y_label,
    )?;
    draw_zero_line(&mut chart, x_range, (y0, y1))?;
    let placed: Vec<PlacedBar> = c
        .bars
        .iter()
        .enumerate()
        .map(|(i, b)| PlacedBar {
            center: i as f64,
            half: 0.32,
            mean: b.mean,
            hw: valid_hw(b.half_width),
            color: PALETTE[0],
        })
        .collect();
    draw_bars(root, &mut chart, &placed, c.percent, c.non_negative)?;
    draw_category_labels(root, &chart, &cats)?;
    if values.is_empty() {
        draw_no_data(root, &chart)?;
    }
    Ok(())
}

fn draw_grouped_bar_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &GroupedBarChart,
) -> Result<(), ChartError> {
    let n = c
        .series
        .iter()
        .map(|(_, bars)| bars.len())
        .fold(c.categories.len(), usize::max);
    let m = c.series.len();
    let any_ci = c.series.iter().any(|(_, bars)| {
        bars.iter()
            .any(|b| b.mean.is_finite() && valid_hw(b.half_width).is_some())
    });
    let mut items: Vec<LegendItem> = c
        .series
        .iter()
        .enumerate()
        .map(|(j, (name, _))| legend(name.clone(), Swatch::Box(PALETTE[j % PALETTE.len()])))
        .collect();
    if any_ci {
        items.push(legend("95% confidence interval", Swatch::ErrorBar));
    }
    let top = draw_header(root, &c.title, &items)?;

    let mut values = Vec::new();
    for b in c
        .series
        .iter()
        .flat_map(|(_, bars)| bars.iter())
        .filter(|b| b.mean.is_finite())
    {
        values.push(b.mean);
        if let Some(h) = valid_hw(b.half_width) {
            let lo = b.mean - h;
            values.extend([if c.non_negative { lo.max(0.0) } else { lo }, b.mean + h]);
        }
    }
    let (y0, y1) = bar_value_range(&values, false);
    let yfmt = NumFmt::axis(y0, y1, Y_TICKS, false);
    let y_area = y_area_width(y0, y1, Y_TICKS, yfmt, true);
    let plot_w = f64::from(WIDTH - MARGIN_LEFT - MARGIN_RIGHT - y_area);
    let labels: Vec<String> = (0..n)
        .map(|i| {
            c.categories.get(i).cloned().unwrap_or_else(|| {
                c.series
                    .iter()
                    .find_map(|(_, bars)| bars.get(i).map(|b| b.label.clone()))
                    .unwrap_or_default()
            })
        })
        .collect();
    let (cats, x_area) = layout_categories(&labels, plot_w / n.max(1) as f64);
    let x_range = (-0.5, n.max(1) as f64 - 0.5);

    let mut chart = ChartBuilder::on(root)
        .margin_top(top)
        .margin_bottom(MARGIN_BOTTOM)
        .margin_left(MARGIN_LEFT)
        .margin_right(MARGIN_RIGHT)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x_range.0..x_range.1, y0..y1)
        .map_err(draw_err)?;
    draw_mesh(
        &mut chart,
        None,
        Some(AxisFmt {
            ticks: Y_TICKS,
            fmt: yfmt,
        }),
        "",
        &c.y_label,
    )?;
    draw_zero_line(&mut chart, x_range, (y0, y1))?;
    let group_w = 0.8;
    let bar_w = group_w / m.max(1) as f64;
    let placed: Vec<PlacedBar> = c
        .series
        .iter()
        .enumerate()
        .flat_map(|(j, (_, bars))| {
            bars.iter().enumerate().map(move |(i, b)| PlacedBar {
                center: i as f64 - group_w / 2.0 + (j as f64 + 0.5) * bar_w,
                half: bar_w * 0.45,
                mean: b.mean,
                hw: valid_hw(b.half_width),
                color: PALETTE[j % PALETTE.len()],
            })
        })
        .collect();
    draw_bars(root, &mut chart, &placed, false, c.non_negative)?;
    draw_category_labels(root, &chart, &cats)?;
    if values.is_empty() {
        draw_no_data(root, &chart)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Band chart
// ---------------------------------------------------------------------------

/// Split sorted indices into runs where `ok` holds for consecutive points.
fn runs(order: &[usize], ok: impl Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    for &i in order {
        if ok(i) {
            cur.push(i);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn draw_band_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &BandChart,
) -> Result<(), ChartError> {
    let get = |v: &[f64], i: usize| v.get(i).copied().unwrap_or(f64::NAN);
    let mut order: Vec<usize> = (0..c.x.len()).filter(|&i| c.x[i].is_finite()).collect();
    order.sort_by(|&a, &b| c.x[a].total_cmp(&c.x[b]));
    let band_ok = |i: usize| get(&c.lower, i).is_finite() && get(&c.upper, i).is_finite();
    let mean_ok = |i: usize| get(&c.mean, i).is_finite();

    let band_label = if c.band_label.trim().is_empty() {
        "Range across replications"
    } else {
        c.band_label.as_str()
    };
    let items = vec![
        legend("Mean", Swatch::Line(PALETTE[0])),
        legend(band_label, Swatch::Band(PALETTE[0])),
    ];
    let top = draw_header(root, &c.title, &items)?;

    let xs = extent(
        order
            .iter()
            .filter(|&&i| band_ok(i) || mean_ok(i))
            .map(|&i| c.x[i]),
    );
    let ys = extent(
        order
            .iter()
            .flat_map(|&i| [get(&c.mean, i), get(&c.lower, i), get(&c.upper, i)]),
    );
    let has_data = xs.is_some() && ys.is_some();
    let (x0, x1) = xs.map_or((0.0, 1.0), |(a, b)| padded(a, b, 0.0, 0.0));
    let (y0, y1) = match ys {
        Some((lo, hi)) if lo >= 0.0 && lo <= 0.3 * hi => padded(0.0, hi, 0.0, 0.06),
        Some((lo, hi)) => padded(lo, hi, 0.06, 0.06),
        None => (0.0, 1.0),
    };
    let yfmt = NumFmt::axis(y0, y1, Y_TICKS, false);
    let y_area = y_area_width(y0, y1, Y_TICKS, yfmt, true);
    let plot_w = f64::from(WIDTH - MARGIN_LEFT - MARGIN_RIGHT - y_area);
    let (xt, xfmt) = fit_x_ticks(x0, x1, X_TICKS, false, plot_w);

    let mut chart = ChartBuilder::on(root)
        .margin_top(top)
        .margin_bottom(MARGIN_BOTTOM)
        .margin_left(MARGIN_LEFT)
        .margin_right(MARGIN_RIGHT)
        .x_label_area_size(X_AREA_NUMERIC)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(draw_err)?;
    draw_mesh(
        &mut chart,
        Some(AxisFmt {
            ticks: xt,
            fmt: xfmt,
        }),
        Some(AxisFmt {
            ticks: Y_TICKS,
            fmt: yfmt,
        }),
        &c.x_label,
        &c.y_label,
    )?;

    let k = Clip::of(&chart);
    let fill = PALETTE[0].mix(0.22).filled();
    for run in runs(&order, band_ok) {
        if let [i] = run.as_slice() {
            let (lo, hi) = (get(&c.lower, *i), get(&c.upper, *i));
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![k.p(c.x[*i], lo.min(hi)), k.p(c.x[*i], lo.max(hi))],
                    PALETTE[0].mix(0.4).stroke_width(4),
                )))
                .map_err(draw_err)?;
            continue;
        }
        let mut poly: Vec<(f64, f64)> = run
            .iter()
            .map(|&i| k.p(c.x[i], get(&c.upper, i).max(get(&c.lower, i))))
            .collect();
        poly.extend(
            run.iter()
                .rev()
                .map(|&i| k.p(c.x[i], get(&c.lower, i).min(get(&c.upper, i)))),
        );
        chart
            .draw_series(std::iter::once(Polygon::new(poly, fill)))
            .map_err(draw_err)?;
    }
    for run in runs(&order, mean_ok) {
        if let [i] = run.as_slice() {
            chart
                .draw_series(std::iter::once(Circle::new(
                    k.p(c.x[*i], get(&c.mean, *i)),
                    4,
                    PALETTE[0].filled(),
                )))
                .map_err(draw_err)?;
            continue;
        }
        let pts: Vec<(f64, f64)> = run.iter().map(|&i| k.p(c.x[i], get(&c.mean, i))).collect();
        chart
            .draw_series(std::iter::once(PathElement::new(
                pts,
                PALETTE[0].stroke_width(3),
            )))
            .map_err(draw_err)?;
    }
    if !has_data {
        draw_no_data(root, &chart)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Scatter chart
// ---------------------------------------------------------------------------

/// Axis-aligned pixel box (x0, y0, x1, y1).
type PxBox = (f64, f64, f64, f64);

fn overlap(a: PxBox, b: PxBox) -> f64 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
    w * h
}

fn draw_scatter_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &ScatterChart,
) -> Result<(), ChartError> {
    let valid: Vec<usize> = (0..c.points.len())
        .filter(|&i| c.points[i].x.is_finite() && c.points[i].y.is_finite())
        .collect();
    let frontier: Vec<usize> = c
        .frontier
        .iter()
        .copied()
        .filter(|i| valid.contains(i))
        .collect();
    let any_ci = valid
        .iter()
        .any(|&i| valid_hw(c.points[i].y_half_width).is_some());

    let mut items = vec![legend("Option", Swatch::Marker(PALETTE[0]))];
    if any_ci {
        items.push(legend("95% confidence interval", Swatch::ErrorBar));
    }
    if frontier.len() >= 2 {
        items.push(legend("Efficient frontier", Swatch::Line(HIGHLIGHT)));
    } else if frontier.len() == 1 {
        items.push(legend("Efficient option", Swatch::Marker(HIGHLIGHT)));
    }
    let top = draw_header(root, &c.title, &items)?;

    let xs = extent(valid.iter().map(|&i| c.points[i].x));
    let low = |y: f64, h: f64| {
        if c.non_negative {
            (y - h).max(0.0)
        } else {
            y - h
        }
    };
    let ys = extent(valid.iter().flat_map(|&i| {
        let p = &c.points[i];
        let h = valid_hw(p.y_half_width).unwrap_or(0.0);
        [low(p.y, h), p.y + h]
    }));
    let (x0, x1) = xs.map_or((0.0, 1.0), |(a, b)| padded(a, b, 0.08, 0.15));
    let (y0, y1) = ys.map_or((0.0, 1.0), |(a, b)| padded(a, b, 0.1, 0.12));
    let y0 = if c.non_negative && y0 < 0.0 && y1 > 0.0 {
        0.0
    } else {
        y0
    };
    let yfmt = NumFmt::axis(y0, y1, Y_TICKS, false);
    let y_area = y_area_width(y0, y1, Y_TICKS, yfmt, true);
    let plot_w = f64::from(WIDTH - MARGIN_LEFT - MARGIN_RIGHT - y_area);
    let (xt, xfmt) = fit_x_ticks(x0, x1, X_TICKS, false, plot_w);

    let mut chart = ChartBuilder::on(root)
        .margin_top(top)
        .margin_bottom(MARGIN_BOTTOM)
        .margin_left(MARGIN_LEFT)
        .margin_right(MARGIN_RIGHT)
        .x_label_area_size(X_AREA_NUMERIC)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(draw_err)?;
    draw_mesh(
        &mut chart,
        Some(AxisFmt {
            ticks: xt,
            fmt: xfmt,
        }),
        Some(AxisFmt {
            ticks: Y_TICKS,
            fmt: yfmt,
        }),
        &c.x_label,
        &c.y_label,
    )?;

    let k = Clip::of(&chart);
    // Error bars (cap width in pixels converted to data units).
    let cap = (x1 - x0) * 6.0 / plot_w.max(1.0);
    let errs = valid.iter().flat_map(|&i| {
        let p = &c.points[i];
        valid_hw(p.y_half_width)
            .map(|h| error_bar(k, p.x, low(p.y, h), p.y + h, cap))
            .unwrap_or_default()
    });
    chart.draw_series(errs).map_err(draw_err)?;
    if frontier.len() >= 2 {
        let pts: Vec<(f64, f64)> = frontier
            .iter()
            .map(|&i| k.p(c.points[i].x, c.points[i].y))
            .collect();
        chart
            .draw_series(std::iter::once(PathElement::new(
                pts,
                HIGHLIGHT.stroke_width(3),
            )))
            .map_err(draw_err)?;
    }
    chart
        .draw_series(valid.iter().map(|&i| {
            let p = &c.points[i];
            if frontier.contains(&i) {
                Circle::new(k.p(p.x, p.y), 7, HIGHLIGHT.filled())
            } else {
                Circle::new(k.p(p.x, p.y), 6, PALETTE[0].filled())
            }
        }))
        .map_err(draw_err)?;

    // Point labels: try several spots around each marker and keep the one
    // that collides least with markers, error bars and earlier labels.
    // Up to 40 labels (points with an empty label are left unlabelled but still avoided).
    let labelled = valid
        .iter()
        .filter(|&&i| !c.points[i].label.trim().is_empty())
        .count();
    if labelled <= 40 {
        let (pxr, pyr) = chart.plotting_area().get_pixel_range();
        let plot_box: PxBox = (
            f64::from(pxr.start),
            f64::from(pyr.start),
            f64::from(pxr.end),
            f64::from(pyr.end),
        );
        let mut obstacles: Vec<PxBox> = Vec::new();
        for &i in &valid {
            let p = &c.points[i];
            let (px, py) = k.px(&chart, p.x, p.y);
            let (px, py) = (f64::from(px), f64::from(py));
            obstacles.push((px - 8.0, py - 8.0, px + 8.0, py + 8.0));
            if let Some(h) = valid_hw(p.y_half_width) {
                let (_, a) = k.px(&chart, p.x, p.y + h);
                let (_, b) = k.px(&chart, p.x, low(p.y, h));
                obstacles.push((px - 7.0, f64::from(a), px + 7.0, f64::from(b)));
            }
        }
        // Frontier segments, sampled every few pixels.
        for w in frontier.windows(2) {
            let (a, b) = (&c.points[w[0]], &c.points[w[1]]);
            let (ax, ay) = k.px(&chart, a.x, a.y);
            let (bx, by) = k.px(&chart, b.x, b.y);
            let (ax, ay, bx, by) = (f64::from(ax), f64::from(ay), f64::from(bx), f64::from(by));
            let steps = ((bx - ax).hypot(by - ay) / 4.0).ceil().clamp(1.0, 2000.0) as usize;
            for s in 0..=steps {
                let t = s as f64 / steps as f64;
                let (x, y) = (ax + (bx - ax) * t, ay + (by - ay) * t);
                obstacles.push((x - 2.0, y - 2.0, x + 2.0, y + 2.0));
            }
        }
        for &i in &valid {
            let p = &c.points[i];
            if p.label.trim().is_empty() {
                continue;
            }
            let text = truncate_to_width(&p.label, NOTE_SIZE, 220.0);
            let w = text_width(&text, NOTE_SIZE);
            let h = NOTE_SIZE;
            let (px, py) = k.px(&chart, p.x, p.y);
            let (px, py) = (f64::from(px), f64::from(py));
            let candidates = [
                (px + 11.0, py - h / 2.0, HPos::Left),
                (px + 9.0, py - 9.0 - h, HPos::Left),
                (px + 9.0, py + 9.0, HPos::Left),
                (px - 11.0 - w, py - h / 2.0, HPos::Right),
                (px - w / 2.0, py - 12.0 - h, HPos::Center),
                (px - w / 2.0, py + 12.0, HPos::Center),
                (px - 9.0 - w, py - 9.0 - h, HPos::Right),
                (px - 9.0 - w, py + 9.0, HPos::Right),
            ];
            let mut best: Option<(f64, PxBox, HPos)> = None;
            for (bx, by, hp) in candidates {
                let bb = (bx, by, bx + w, by + h);
                let outside = w * h - overlap(bb, plot_box);
                let hits: f64 =
                    obstacles.iter().map(|o| overlap(bb, *o)).sum::<f64>() + outside * 10.0;
                if best.as_ref().is_none_or(|(s, _, _)| hits < *s) {
                    best = Some((hits, bb, hp));
                }
            }
            if let Some((_, bb, hp)) = best {
                let x = match hp {
                    HPos::Left => bb.0,
                    HPos::Right => bb.2,
                    HPos::Center => (bb.0 + bb.2) / 2.0,
                };
                root.draw_text(
                    &text,
                    &anchored(NOTE_SIZE, hp, VPos::Top),
                    (x as i32, bb.1 as i32 + 2),
                )
                .map_err(draw_err)?;
                obstacles.push((bb.0 - 2.0, bb.1 - 1.0, bb.2 + 2.0, bb.3 + 1.0));
            }
        }
    }
    if valid.is_empty() {
        draw_no_data(root, &chart)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Tornado chart
// ---------------------------------------------------------------------------

fn draw_tornado_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &TornadoChart,
) -> Result<(), ChartError> {
    let base = c.base.is_finite().then_some(c.base);
    let swing = |r: &TornadoRow| {
        let v = (r.high - r.low).abs();
        if v.is_finite() { v } else { -1.0 }
    };
    let mut rows: Vec<&TornadoRow> = c.rows.iter().collect();
    rows.sort_by(|a, b| swing(b).total_cmp(&swing(a)));
    let n = rows.len();

    let low_c = PALETTE[0];
    let high_c = PALETTE[1];
    let mut items = vec![
        legend("Input at low setting", Swatch::Box(low_c)),
        legend("Input at high setting", Swatch::Box(high_c)),
    ];
    if let Some(b) = base {
        items.push(legend(
            format!("Base case ({})", NumFmt::value(b, false).fmt(b)),
            Swatch::Line(AXIS),
        ));
    }
    let top = draw_header(root, &c.title, &items)?;

    let xs = extent(rows.iter().flat_map(|r| [r.low, r.high]).chain(base));
    let has_data = rows.iter().any(|r| r.low.is_finite() || r.high.is_finite());
    let (x0, x1) = xs.map_or((0.0, 1.0), |(a, b)| padded(a, b, 0.14, 0.14));

    // Row labels on the left, shortened if very long.
    let labels: Vec<String> = rows
        .iter()
        .map(|r| truncate_to_width(r.label.trim(), TICK_SIZE, 260.0))
        .collect();
    let y_area = (labels
        .iter()
        .map(|l| text_width(l, TICK_SIZE))
        .fold(20.0, f64::max)
        + 18.0)
        .ceil() as u32;
    let plot_w = f64::from(WIDTH - MARGIN_LEFT - MARGIN_RIGHT - y_area);
    let (xt, xfmt) = fit_x_ticks(x0, x1, X_TICKS, false, plot_w);
    let y_range = (-0.5, n.max(1) as f64 - 0.5);

    let mut chart = ChartBuilder::on(root)
        .margin_top(top)
        .margin_bottom(MARGIN_BOTTOM)
        .margin_left(MARGIN_LEFT)
        .margin_right(MARGIN_RIGHT)
        .x_label_area_size(X_AREA_NUMERIC)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x0..x1, y_range.0..y_range.1)
        .map_err(draw_err)?;
    draw_mesh(
        &mut chart,
        Some(AxisFmt {
            ticks: xt,
            fmt: xfmt,
        }),
        None,
        &c.x_label,
        "",
    )?;

    let k = Clip::of(&chart);
    let (_, pyr) = chart.plotting_area().get_pixel_range();
    let row_px = f64::from(pyr.end - pyr.start) / n.max(1) as f64;
    let label_step = (TICK_SIZE * 1.2 / row_px.max(1.0)).ceil().max(1.0) as usize;
    let (plx, _) = chart.backend_coord(&(x0, 0.0));
    let largest = rows
        .iter()
        .flat_map(|r| [r.low.abs(), r.high.abs()])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let vf = NumFmt::value(largest, false);

    for (ri, r) in rows.iter().enumerate() {
        let y = (n - 1 - ri) as f64;
        if ri % label_step == 0 {
            let (_, py) = chart.backend_coord(&(x0, y));
            root.draw_text(
                &labels[ri],
                &anchored(TICK_SIZE, HPos::Right, VPos::Center),
                (plx - 8, py),
            )
            .map_err(draw_err)?;
        }
        let mut bars: Vec<(f64, f64, f64, f64, RGBColor)> = Vec::new(); // from, to, y_lo, y_hi
        let mut notes: Vec<(f64, f64, f64)> = Vec::new(); // value, y, direction
        match base {
            Some(b) => {
                let same_side = (r.low - b) * (r.high - b) > 0.0;
                for (v, col, lane) in [(r.low, low_c, 0.0), (r.high, high_c, 1.0)] {
                    if !v.is_finite() {
                        continue;
                    }
                    let (ylo, yhi) = if same_side {
                        // Two thin bars in one row so neither hides the other.
                        let top_lane = y + 0.34 - lane * 0.34;
                        (top_lane - 0.32, top_lane)
                    } else {
                        (y - 0.32, y + 0.32)
                    };
                    bars.push((b, v, ylo, yhi, col));
                    notes.push((v, (ylo + yhi) / 2.0, if v >= b { 1.0 } else { -1.0 }));
                }
            }
            None => {
                if r.low.is_finite() && r.high.is_finite() {
                    bars.push((r.low, r.high, y - 0.32, y + 0.32, PALETTE[7]));
                }
                for v in [r.low, r.high] {
                    if v.is_finite() {
                        let d = if v >= r.low.min(r.high) + (r.high - r.low).abs() / 2.0 {
                            1.0
                        } else {
                            -1.0
                        };
                        notes.push((v, y, d));
                    }
                }
            }
        }
        chart
            .draw_series(bars.iter().map(|&(a, b, ylo, yhi, col)| {
                Rectangle::new([k.p(a, ylo), k.p(b, yhi)], col.filled())
            }))
            .map_err(draw_err)?;
        let split = bars.len() == 2 && bars.iter().any(|b| (b.3 - b.2) < 0.5);
        let needed = if split { 2.2 } else { 1.1 } * NOTE_SIZE;
        if row_px >= needed {
            for (v, yv, dir) in notes {
                let (px, py) = k.px(&chart, v, yv);
                let (hp, dx) = if dir > 0.0 {
                    (HPos::Left, 5)
                } else {
                    (HPos::Right, -5)
                };
                root.draw_text(
                    &vf.fmt(v),
                    &anchored(NOTE_SIZE, hp, VPos::Center).color(&MUTED),
                    (px + dx, py),
                )
                .map_err(draw_err)?;
            }
        }
        if !r.low.is_finite() && !r.high.is_finite() {
            let (px, py) = k.px(&chart, base.unwrap_or((x0 + x1) / 2.0), y);
            root.draw_text(
                "n/a",
                &anchored(NOTE_SIZE, HPos::Left, VPos::Center).color(&MUTED),
                (px + 5, py),
            )
            .map_err(draw_err)?;
        }
    }
    if let Some(b) = base {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![k.p(b, y_range.0), k.p(b, y_range.1)],
                AXIS.stroke_width(2),
            )))
            .map_err(draw_err)?;
    }
    if !has_data {
        draw_no_data(root, &chart)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_SIG: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

    fn bar(label: &str, mean: f64, hw: Option<f64>) -> Bar {
        Bar {
            label: label.to_string(),
            mean,
            half_width: hw,
        }
    }

    fn samples() -> Vec<(Chart, Vec<&'static str>)> {
        vec![
            (
                Chart::Bar(BarChart {
                    title: "Inspected share by stream".into(),
                    y_label: "Inspected share (%)".into(),
                    bars: vec![
                        bar("Priority", 0.2, Some(0.02)),
                        bar("Registered", 0.5, None),
                    ],
                    percent: true,
                    non_negative: false,
                }),
                vec![
                    "Inspected share by stream",
                    "Inspected share (%)",
                    "Priority",
                ],
            ),
            (
                Chart::GroupedBar(GroupedBarChart {
                    title: "Seized vs missed".into(),
                    y_label: "Items per day".into(),
                    categories: vec!["Priority".into(), "Express".into()],
                    series: vec![
                        (
                            "Seized".into(),
                            vec![bar("", 3.0, Some(0.5)), bar("", 4.0, None)],
                        ),
                        (
                            "Missed".into(),
                            vec![bar("", 1.0, None), bar("", 2.0, None)],
                        ),
                    ],
                    non_negative: false,
                }),
                vec!["Seized vs missed", "Items per day", "Seized", "Missed"],
            ),
            (
                Chart::Band(BandChart {
                    title: "Lab backlog".into(),
                    x_label: "Day".into(),
                    y_label: "Samples waiting".into(),
                    x: vec![0.0, 1.0, 2.0],
                    mean: vec![1.0, 2.0, 3.0],
                    lower: vec![0.5, 1.0, 2.0],
                    upper: vec![2.0, 3.0, 4.0],
                    band_label: "5th to 95th percentile".into(),
                }),
                vec![
                    "Lab backlog",
                    "Day",
                    "Samples waiting",
                    "5th to 95th percentile",
                ],
            ),
            (
                Chart::Scatter(ScatterChart {
                    title: "Cost vs seizures".into(),
                    x_label: "Cost (EUR per day)".into(),
                    y_label: "Seizures per day".into(),
                    points: vec![
                        ScatterPoint {
                            label: "A".into(),
                            x: 1.0,
                            y: 2.0,
                            y_half_width: Some(0.3),
                        },
                        ScatterPoint {
                            label: "B".into(),
                            x: 2.0,
                            y: 3.0,
                            y_half_width: None,
                        },
                    ],
                    frontier: vec![0, 1],
                    non_negative: false,
                }),
                vec!["Cost vs seizures", "Cost (EUR per day)", "Seizures per day"],
            ),
            (
                Chart::Tornado(TornadoChart {
                    title: "Sensitivity of total cost".into(),
                    x_label: "Total cost (EUR per day)".into(),
                    base: 100.0,
                    rows: vec![
                        TornadoRow {
                            label: "Arrival rate".into(),
                            low: 80.0,
                            high: 130.0,
                        },
                        TornadoRow {
                            label: "Lab capacity".into(),
                            low: 110.0,
                            high: 95.0,
                        },
                    ],
                }),
                vec![
                    "Sensitivity of total cost",
                    "Total cost (EUR per day)",
                    "Arrival rate",
                ],
            ),
        ]
    }

    #[test]
    fn svg_contains_title_and_axis_labels() -> Result<(), ChartError> {
        for (chart, needles) in samples() {
            let svg = chart.to_svg()?;
            assert!(svg.starts_with("<svg"), "not an SVG document");
            for n in needles {
                assert!(
                    svg.contains(n),
                    "{:?} missing from SVG of {}",
                    n,
                    chart.title()
                );
            }
        }
        Ok(())
    }

    #[test]
    fn png_has_signature() -> Result<(), ChartError> {
        for (chart, _) in samples() {
            let png = chart.to_png()?;
            assert!(png.len() > 1000);
            assert_eq!(png[..8], PNG_SIG);
        }
        Ok(())
    }

    fn degenerate() -> Vec<Chart> {
        let nan = f64::NAN;
        let inf = f64::INFINITY;
        vec![
            Chart::Bar(BarChart::default()),
            Chart::Bar(BarChart {
                bars: vec![bar("x", nan, Some(nan)), bar("y", inf, Some(-1.0))],
                percent: true,
                ..Default::default()
            }),
            Chart::Bar(BarChart {
                bars: vec![bar("same", 0.0, None), bar("same", 0.0, Some(0.0))],
                ..Default::default()
            }),
            Chart::Bar(BarChart {
                bars: vec![
                    bar("huge", f64::MAX, Some(f64::MAX)),
                    bar("tiny", -f64::MAX, None),
                ],
                ..Default::default()
            }),
            Chart::GroupedBar(GroupedBarChart::default()),
            Chart::GroupedBar(GroupedBarChart {
                categories: vec![],
                series: vec![(
                    "s".into(),
                    vec![bar("a", nan, None), bar("b", 2.0, Some(nan))],
                )],
                ..Default::default()
            }),
            Chart::GroupedBar(GroupedBarChart {
                categories: vec!["a".into(), "b".into(), "c".into()],
                series: vec![("empty".into(), vec![])],
                ..Default::default()
            }),
            Chart::Band(BandChart::default()),
            Chart::Band(BandChart {
                x: vec![nan, 1.0, 2.0, 3.0, 4.0],
                mean: vec![1.0, nan, 2.0],
                lower: vec![0.0, 0.0, nan, 5.0],
                upper: vec![1.0, 1.0, 1.0, 1.0, 1.0],
                ..Default::default()
            }),
            Chart::Band(BandChart {
                x: vec![5.0],
                mean: vec![5.0],
                lower: vec![5.0],
                upper: vec![5.0],
                ..Default::default()
            }),
            Chart::Scatter(ScatterChart::default()),
            Chart::Scatter(ScatterChart {
                points: vec![
                    ScatterPoint {
                        label: "nan".into(),
                        x: nan,
                        y: 1.0,
                        y_half_width: None,
                    },
                    ScatterPoint {
                        label: "ok".into(),
                        x: 1.0,
                        y: 1.0,
                        y_half_width: Some(inf),
                    },
                ],
                frontier: vec![0, 1, 7, 1],
                ..Default::default()
            }),
            Chart::Tornado(TornadoChart::default()),
            Chart::Tornado(TornadoChart {
                base: nan,
                rows: vec![
                    TornadoRow {
                        label: "all nan".into(),
                        low: nan,
                        high: nan,
                    },
                    TornadoRow {
                        label: "half".into(),
                        low: 1.0,
                        high: nan,
                    },
                    TornadoRow {
                        label: "ok".into(),
                        low: 1.0,
                        high: 2.0,
                    },
                ],
                ..Default::default()
            }),
            Chart::Tornado(TornadoChart {
                base: 1.0,
                rows: vec![TornadoRow {
                    label: "flat".into(),
                    low: 1.0,
                    high: 1.0,
                }],
                ..Default::default()
            }),
        ]
    }

    #[test]
    fn empty_and_nan_inputs_do_not_panic() -> Result<(), ChartError> {
        for chart in degenerate() {
            let svg = chart.to_svg()?;
            assert!(svg.contains("</svg>"));
            let png = chart.to_png()?;
            assert_eq!(png[..8], PNG_SIG);
        }
        Ok(())
    }

    #[test]
    fn extreme_magnitudes_do_not_panic() -> Result<(), ChartError> {
        for (a, b) in [
            (1e-300, 2e-300),
            (1e200, 1e200 + 1e185),
            (-1e15, 1e15),
            (5e-324, 1e-323),
        ] {
            let charts = [
                Chart::Bar(BarChart {
                    bars: vec![bar("a", a, Some(a)), bar("b", b, None)],
                    ..Default::default()
                }),
                Chart::Band(BandChart {
                    x: vec![a, b],
                    mean: vec![a, b],
                    lower: vec![a, a],
                    upper: vec![b, b],
                    ..Default::default()
                }),
                Chart::Scatter(ScatterChart {
                    points: vec![
                        ScatterPoint {
                            label: "a".into(),
                            x: a,
                            y: b,
                            y_half_width: Some(b),
                        },
                        ScatterPoint {
                            label: "b".into(),
                            x: b,
                            y: a,
                            y_half_width: None,
                        },
                    ],
                    frontier: vec![0, 1],
                    ..Default::default()
                }),
                Chart::Tornado(TornadoChart {
                    base: a,
                    rows: vec![TornadoRow {
                        label: "r".into(),
                        low: a,
                        high: b,
                    }],
                    ..Default::default()
                }),
            ];
            for chart in charts {
                chart.to_svg()?;
            }
        }
        Ok(())
    }

    #[test]
    fn many_long_categories_render() -> Result<(), ChartError> {
        let bars = (0..40)
            .map(|i| {
                bar(
                    &format!("a rather long category label number {i}"),
                    i as f64,
                    None,
                )
            })
            .collect();
        let chart = Chart::Bar(BarChart {
            title: "Many".into(),
            y_label: "Value".into(),
            bars,
            percent: false,
            non_negative: false,
        });
        chart.to_png()?;
        chart.to_svg()?;
        Ok(())
    }

    #[test]
    fn non_negative_quantities_have_no_whisker_or_axis_below_zero() -> Result<(), ChartError> {
        // 26 ± 331 seizures a year: the lower whisker stops at 0 and no tick is negative.
        let neg_tick = |svg: &str| svg.lines().any(|l| l.trim_start().starts_with('-'));
        let bars = vec![
            bar("all", 26.0, Some(331.0)),
            bar("express", 3.0, Some(5.0)),
        ];
        let clamped = Chart::Bar(BarChart {
            title: "Seized".into(),
            y_label: "Items per year".into(),
            bars: bars.clone(),
            percent: false,
            non_negative: true,
        });
        assert!(!neg_tick(&clamped.to_svg()?));
        let grouped = Chart::GroupedBar(GroupedBarChart {
            title: "Seized".into(),
            y_label: "Items per year".into(),
            categories: vec!["all".into(), "express".into()],
            series: vec![("Seized".into(), bars.clone())],
            non_negative: true,
        });
        assert!(!neg_tick(&grouped.to_svg()?));
        let scatter = Chart::Scatter(ScatterChart {
            title: "Mixes".into(),
            x_label: "Cost".into(),
            y_label: "Seized".into(),
            points: vec![ScatterPoint {
                label: "a".into(),
                x: 1.0,
                y: 2.0,
                y_half_width: Some(10.0),
            }],
            frontier: vec![0],
            non_negative: true,
        });
        assert!(!neg_tick(&scatter.to_svg()?));
        // A difference may be negative: its whisker is drawn below zero.
        let signed = Chart::Bar(BarChart {
            title: "Change".into(),
            y_label: "Change in items per year".into(),
            bars,
            percent: false,
            non_negative: false,
        });
        assert!(neg_tick(&signed.to_svg()?));
        Ok(())
    }

    #[test]
    fn number_formatting() {
        assert_eq!(fmt_num(1234567.891, 2), "1,234,567.89");
        assert_eq!(fmt_num(-0.0001, 2), "0.00");
        assert_eq!(fmt_num(-12.5, 1), "-12.5");
        assert_eq!(fmt_num(f64::NAN, 1), "n/a");
        assert_eq!(NumFmt::axis(0.0, 1.0, 8, true).fmt(0.5), "50%");
        assert_eq!(NumFmt::axis(0.0, 2.5, 8, false).fmt(0.5), "0.5");
        assert_eq!(NumFmt::value(0.4234, true).fmt(0.4234), "42.3%");
        assert_eq!(NumFmt::value(1234.0, false).fmt(1234.4), "1,234");
        assert_eq!(NumFmt::axis(0.0, 3e-7, 8, false).fmt(1e-7), "1.00e-7");
    }
}
