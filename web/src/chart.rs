//! An experiment's chart as pure drawing data: axes with round ticks, and each series as a
//! line of points or a group of bars, in SVG user units (x to the right, y down, the plot
//! area inside the margins). The component only writes these out.

use hashhalo_core::experiment::{Chart, ChartKind, Table};

use crate::svg::num;

/// The chart's size in user units, and the margins around the plot area.
pub const WIDTH: f64 = 640.0;
/// See [`WIDTH`].
pub const HEIGHT: f64 = 320.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 52.0;

/// A labelled tick at `at` along its axis (user units).
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Where, along the axis.
    pub at: f64,
    /// What it says.
    pub label: String,
}

/// One value drawn: where (a point's centre, or a bar's top-left corner and size), and what
/// hovering it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// x of the point, or of the bar's left edge.
    pub x: f64,
    /// y of the point, or of the bar's top.
    pub y: f64,
    /// The bar's width (0 for a point).
    pub width: f64,
    /// The bar's height (0 for a point).
    pub height: f64,
    /// `row: series = value unit`.
    pub title: String,
}

/// A series: its name, its colour's index, the line through its points (empty for bars),
/// and its marks.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The column's name.
    pub name: String,
    /// Which colour (the series' index).
    pub colour: usize,
    /// The SVG path of the line (lines only).
    pub path: String,
    /// Each value.
    pub marks: Vec<Mark>,
}

/// The whole chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// Ticks along the bottom (category names for bars).
    pub x_ticks: Vec<Tick>,
    /// Ticks up the left side.
    pub y_ticks: Vec<Tick>,
    /// The series.
    pub series: Vec<Series>,
    /// The bottom axis's title.
    pub x_title: String,
    /// The left axis's title, with its unit.
    pub y_title: String,
}

/// The plot area: left, top, right, bottom.
pub fn area() -> (f64, f64, f64, f64) {
    (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)
}

/// A round step for about `count` ticks over `span` (1, 2 or 5 times a power of ten).
fn step(span: f64, count: f64) -> f64 {
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / count;
    let power = 10f64.powf(raw.log10().floor());
    let unit = raw / power;
    power
        * if unit <= 1.0 {
            1.0
        } else if unit <= 2.0 {
            2.0
        } else if unit <= 5.0 {
            5.0
        } else {
            10.0
        }
}

/// A number as a tick says it: whole numbers with thousands separators, others to three
/// significant decimals.
fn label(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", hashhalo_core::format::count(v.abs() as u64))
    } else {
        hashhalo_core::experiment::Cell::Number((v * 1000.0).round() / 1000.0).to_string()
    }
}

/// Draws `table` as `chart` says. Rows whose x is not a number are left out of a line chart;
/// empty cells leave a gap in their series.
///
/// ```
/// use hashhalo_core::experiment::{run, Experiment, Inputs};
/// use hashhalo_web::chart::plot;
///
/// let table = run(Experiment::A2, &Inputs::default(), &mut |_| {});
/// let p = plot(&table, &Experiment::A2.chart());
/// assert_eq!(p.series.len(), 5);
/// assert_eq!(p.series[0].marks.len(), 11);
/// ```
pub fn plot(table: &Table, chart: &Chart) -> Plot {
    let (left, top, right, bottom) = area();
    let series_columns = chart.series(table);
    let x_column = table.column(&chart.x);
    let values: Vec<f64> = series_columns
        .iter()
        .flat_map(|&c| table.rows.iter().filter_map(move |r| r[c].number()))
        .filter(|v| v.is_finite())
        .collect();
    let max = values.iter().copied().fold(0.0, f64::max);
    let min = values.iter().copied().fold(0.0, f64::min);
    let y_step = step(max - min, 5.0);
    let (y0, y1) = (
        (min / y_step).floor() * y_step,
        ((max / y_step).ceil() * y_step).max(y_step),
    );
    let y_at = |v: f64| bottom - (v - y0) / (y1 - y0) * (bottom - top);
    let mut y_ticks = Vec::new();
    let mut v = y0;
    while v <= y1 + y_step * 1e-9 {
        y_ticks.push(Tick {
            at: y_at(v),
            label: label(v),
        });
        v += y_step;
    }
    let unit = |c: usize| &table.columns[c].unit;
    let row_name =
        |r: usize| x_column.map_or_else(|| (r + 1).to_string(), |x| table.rows[r][x].to_string());
    let title = |r: usize, c: usize, v: f64| {
        format!(
            "{}: {} = {} {}",
            row_name(r),
            table.columns[c].name,
            label(v),
            unit(c)
        )
    };
    let mut series: Vec<Series> = series_columns
        .iter()
        .enumerate()
        .map(|(i, &c)| Series {
            name: table.columns[c].name.clone(),
            colour: i,
            path: String::new(),
            marks: Vec::new(),
        })
        .collect();
    let x_ticks = match chart.kind {
        ChartKind::Bars => {
            let n = table.rows.len().max(1) as f64;
            let group = (right - left) / n;
            let bar = group * 0.8 / series_columns.len().max(1) as f64;
            for (r, row) in table.rows.iter().enumerate() {
                for (i, &c) in series_columns.iter().enumerate() {
                    if let Some(v) = row[c].number().filter(|v| v.is_finite()) {
                        // A zero still shows, as a hairline on the axis.
                        let (ya, yb) = (y_at(v.max(0.0)), y_at(v.min(0.0)));
                        let ya = ya.min(yb - 0.5);
                        series[i].marks.push(Mark {
                            x: left + group * r as f64 + group * 0.1 + bar * i as f64,
                            y: ya,
                            width: bar,
                            height: yb - ya,
                            title: title(r, c, v),
                        });
                    }
                }
            }
            (0..table.rows.len())
                .map(|r| Tick {
                    at: left + group * (r as f64 + 0.5),
                    label: row_name(r),
                })
                .collect()
        }
        ChartKind::Lines => {
            let xs: Vec<Option<f64>> = table
                .rows
                .iter()
                .map(|row| x_column.and_then(|x| row[x].number()))
                .map(|x| x.filter(|&x| x.is_finite() && (!chart.log_x || x > 0.0)))
                .collect();
            let scale = |x: f64| if chart.log_x { x.log10() } else { x };
            let known: Vec<f64> = xs.iter().flatten().map(|&x| scale(x)).collect();
            let lo = known.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let (lo, hi) = if lo < hi {
                (lo, hi)
            } else {
                (lo - 1.0, lo + 1.0)
            };
            let x_at = |x: f64| left + (scale(x) - lo) / (hi - lo) * (right - left);
            for (i, &c) in series_columns.iter().enumerate() {
                let mut pen_down = false;
                for (r, row) in table.rows.iter().enumerate() {
                    let point = xs[r].zip(row[c].number().filter(|v| v.is_finite()));
                    let Some((x, v)) = point else {
                        pen_down = false;
                        continue;
                    };
                    let (px, py) = (x_at(x), y_at(v));
                    let s = &mut series[i];
                    s.path.push(if pen_down { 'L' } else { 'M' });
                    s.path.push_str(&format!("{} {}", num(px), num(py)));
                    pen_down = true;
                    s.marks.push(Mark {
                        x: px,
                        y: py,
                        width: 0.0,
                        height: 0.0,
                        title: title(r, c, v),
                    });
                }
            }
            if lo.is_finite() && hi.is_finite() {
                if chart.log_x {
                    (lo.floor() as i32..=hi.ceil() as i32)
                        .map(|p| 10f64.powi(p))
                        .filter(|&x| scale(x) >= lo - 1e-9 && scale(x) <= hi + 1e-9)
                        .map(|x| Tick {
                            at: x_at(x),
                            label: label(x),
                        })
                        .collect()
                } else {
                    let s = step(hi - lo, 6.0).max(if known.iter().all(|x| x.fract() == 0.0) {
                        1.0
                    } else {
                        0.0
                    });
                    let mut ticks = Vec::new();
                    let mut x = (lo / s).ceil() * s;
                    while x <= hi + s * 1e-9 {
                        ticks.push(Tick {
                            at: x_at(x),
                            label: label(x),
                        });
                        x += s;
                    }
                    ticks
                }
            } else {
                Vec::new()
            }
        }
    };
    let x_title = match (x_column, chart.log_x) {
        (Some(x), true) => format!("{} (log scale)", table.columns[x].name),
        (Some(x), false) => table.columns[x].header(),
        (None, _) => String::new(),
    };
    Plot {
        x_ticks,
        y_ticks,
        series,
        x_title,
        y_title: format!("{} ({})", chart.y_label, chart.y_unit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hashhalo_core::experiment::{Experiment, Inputs, run};

    #[test]
    fn every_experiment_draws_inside_the_plot_area() {
        let (left, top, right, bottom) = area();
        for e in Experiment::ALL {
            let inputs = Inputs {
                seeds: 3,
                ..Inputs::default()
            };
            let table = if e == Experiment::Size {
                hashhalo_core::experiment::size::size(&inputs.size, 3, &mut |_| {}).table
            } else {
                run(e, &inputs, &mut |_| {})
            };
            let p = plot(&table, &e.chart());
            assert!(!p.series.is_empty(), "{e:?}");
            assert!(p.y_ticks.len() >= 2, "{e:?}");
            assert!(!p.x_ticks.is_empty(), "{e:?}");
            for s in &p.series {
                assert!(!s.marks.is_empty(), "{e:?} {}", s.name);
                for m in &s.marks {
                    assert!(
                        m.x >= left - 1e-6 && m.x + m.width <= right + 1e-6,
                        "{e:?} {m:?}"
                    );
                    assert!(
                        m.y >= top - 1e-6 && m.y + m.height <= bottom + 1e-6,
                        "{e:?} {m:?}"
                    );
                    assert!(m.title.contains(" = "), "{m:?}");
                }
            }
        }
    }

    #[test]
    fn a_log_axis_ticks_at_powers_of_ten() {
        let table = run(
            Experiment::Vnodes,
            &Inputs {
                seeds: 2,
                ..Inputs::default()
            },
            &mut |_| {},
        );
        let p = plot(&table, &Experiment::Vnodes.chart());
        let labels: Vec<&str> = p.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["1", "10", "100", "1,000"]);
        assert!(p.x_title.ends_with("(log scale)"));
        // Points are in x order, spaced by logarithm: 1 → 10 as far as 100 → 1000.
        let xs: Vec<f64> = p.series[0].marks.iter().map(|m| m.x).collect();
        let at = |i: usize| xs[i];
        assert!(((at(4) - at(0)) - (at(12) - at(8))).abs() < 1e-6);
    }

    #[test]
    fn bars_stand_on_zero_and_scale_with_their_values() {
        let table = run(Experiment::A1, &Inputs::default(), &mut |_| {});
        let p = plot(&table, &Experiment::A1.chart());
        let (_, _, _, bottom) = area();
        let first = &p.series[0].marks[0];
        assert!((first.y + first.height - bottom).abs() < 1e-6);
        let ratio = first.height / p.series[1].marks[0].height;
        let values = (
            table.rows[0][1].number().unwrap(),
            table.rows[0][2].number().unwrap(),
        );
        assert!((ratio - values.0 / values.1).abs() < 1e-6);
        assert_eq!(p.x_ticks.len(), table.rows.len());
    }

    #[test]
    fn round_steps() {
        assert_eq!(step(10.0, 5.0), 2.0);
        assert_eq!(step(7.0, 5.0), 2.0);
        assert_eq!(step(0.3, 5.0), 0.1);
        assert_eq!(step(0.0, 5.0), 1.0);
    }
}
