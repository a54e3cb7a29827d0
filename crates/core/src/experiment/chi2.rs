//! The chi-square test's p-value: the regularized upper incomplete gamma function
//! `Q(k/2, x/2)`, by its series below `a + 1` and its continued fraction above (Numerical
//! Recipes, 3rd ed., §6.2). Written here rather than taken from a statistics crate, which
//! would bring linear algebra along for one function; `libm` gives the same logarithms and
//! exponentials natively and in wasm.

/// The probability that a chi-square variable with `dof` degrees of freedom is at least
/// `chi` (1 for `chi` ≤ 0).
///
/// ```
/// use hashhalo_core::experiment::chi2::p_value;
///
/// // With 2 degrees of freedom the tail is exactly e^(−x/2).
/// assert!((p_value(2.0, 2.0) - (-1.0f64).exp()).abs() < 1e-12);
/// // The median of 63 degrees of freedom is about 62.3.
/// assert!((p_value(62.335, 63.0) - 0.5).abs() < 1e-3);
/// assert!(p_value(500.0, 63.0) < 1e-12);
/// ```
pub fn p_value(chi: f64, dof: f64) -> f64 {
    if chi.is_nan() || dof.is_nan() || chi <= 0.0 || dof <= 0.0 {
        return 1.0;
    }
    upper_gamma(dof / 2.0, chi / 2.0)
}

/// `Q(a, x) = Γ(a, x) / Γ(a)` for `a` > 0, `x` > 0.
fn upper_gamma(a: f64, x: f64) -> f64 {
    let ln_front = -x + a * libm::log(x) - libm::lgamma(a);
    if x < a + 1.0 {
        // P(a, x) by its series.
        let (mut ap, mut sum, mut term) = (a, 1.0 / a, 1.0 / a);
        for _ in 0..10_000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-15 {
                break;
            }
        }
        (1.0 - sum * libm::exp(ln_front)).clamp(0.0, 1.0)
    } else {
        // Q(a, x) by Lentz's continued fraction.
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -f64::from(i) * (f64::from(i) - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-15 {
                break;
            }
        }
        (libm::exp(ln_front) * h).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_critical_values() {
        // Tables: the 5 % critical value of 10 dof is 18.307, the 1 % of 63 dof is 92.010.
        assert!((p_value(18.307, 10.0) - 0.05).abs() < 1e-4);
        assert!((p_value(92.010, 63.0) - 0.01).abs() < 1e-4);
        // Both branches agree where they meet.
        let a = 31.5;
        assert!((upper_gamma(a, a + 1.0 - 1e-9) - upper_gamma(a, a + 1.0 + 1e-9)).abs() < 1e-6);
        assert_eq!(p_value(0.0, 63.0), 1.0);
    }
}
