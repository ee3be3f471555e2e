//! Geometry of the overview's bar charts, drawn as server-rendered SVG (no chart script).

/// One bar in SVG user units, y growing downwards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// The axis top for `max`: the next 1, 2 or 5 × 10ⁿ at or above it, so gridlines fall on
/// round amounts. At least 1, so an empty chart still has a scale.
pub fn nice_max(max: i64) -> i64 {
    let max = max.max(1);
    let mut step: i64 = 1;
    loop {
        for factor in [1, 2, 5] {
            let candidate = step.saturating_mul(factor);
            if candidate >= max {
                return candidate;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// Vertical bars for `values`, side by side across `width`, scaled to `top` over `height`.
/// A positive value never draws thinner than one unit, so a small day stays visible.
pub fn columns(values: &[i64], top: i64, width: f64, height: f64) -> Vec<Bar> {
    if values.is_empty() {
        return Vec::new();
    }
    let slot = width / values.len() as f64;
    let gap = (slot * 0.2).min(4.0);
    values
        .iter()
        .enumerate()
        .map(|(i, &value)| {
            let mut bar_height = height * value.max(0) as f64 / top.max(1) as f64;
            if value > 0 {
                bar_height = bar_height.clamp(1.0, height);
            }
            Bar {
                x: i as f64 * slot + gap / 2.0,
                y: height - bar_height,
                width: slot - gap,
                height: bar_height,
            }
        })
        .collect()
}

/// Horizontal bar length for a share of the largest value, in `width` units.
pub fn share(value: i64, largest: i64, width: f64) -> f64 {
    if largest <= 0 {
        return 0.0;
    }
    width * value.max(0) as f64 / largest as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_top_is_a_round_number_at_or_above_the_maximum() {
        for (max, top) in [
            (0, 1),
            (1, 1),
            (3, 5),
            (7, 10),
            (10, 10),
            (11, 20),
            (150_000, 200_000),
            (1_250_000, 2_000_000),
            (4_999_999, 5_000_000),
        ] {
            assert_eq!(nice_max(max), top, "{max}");
        }
    }

    #[test]
    fn columns_fill_the_width_and_scale_to_the_top() {
        let bars = columns(&[0, 50, 100, 1], 100, 300.0, 100.0);
        assert_eq!(bars.len(), 4);
        assert_eq!(bars[0].height, 0.0);
        assert_eq!(bars[1].height, 50.0);
        assert_eq!(bars[1].y, 50.0);
        assert_eq!(bars[2].height, 100.0);
        assert_eq!(bars[2].y, 0.0);
        assert_eq!(bars[3].height, 1.0, "a small value stays visible");
        assert!((bars[3].x + bars[3].width - 300.0).abs() < 4.0);
        assert!(bars.windows(2).all(|w| w[0].x + w[0].width <= w[1].x));
        assert!(columns(&[], 10, 100.0, 100.0).is_empty());
    }

    #[test]
    fn shares_are_proportional_to_the_largest() {
        assert_eq!(share(50, 100, 200.0), 100.0);
        assert_eq!(share(100, 100, 200.0), 200.0);
        assert_eq!(share(5, 0, 200.0), 0.0);
    }
}
