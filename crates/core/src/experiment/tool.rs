//! What the lab's tools show, as a link and the page's worker carry it: the compare view or
//! one experiment with its inputs, written `compare`, `a1`, `vnodes_30` (seeds) or
//! `size_30_1000000_50000_5000_20_80_1` (seeds, keys, requests/s, capacity in requests/s,
//! headroom in percent, skew in hundredths, replication): whole numbers only, so reading and
//! writing a link needs no float formatting in the page's first load, and URL-safe, so it
//! needs no escaping in a fragment.

use super::Experiment;
use super::size::SizeInputs;

/// One experiment and its inputs.
///
/// ```
/// use hashhalo_core::experiment::tool::Run;
/// use hashhalo_core::experiment::Experiment;
///
/// let run = Run::new(Experiment::Vnodes);
/// assert_eq!(run.encode(), "vnodes_30");
/// assert_eq!(Run::decode("vnodes_30"), Ok(run));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Run {
    /// The experiment.
    pub experiment: Experiment,
    /// Seeds, for the experiments that repeat over them (1..=200).
    pub seeds: u32,
    /// The tier, for [`Experiment::Size`].
    pub size: SizeInputs,
}

/// What the tools show.
///
/// ```
/// use hashhalo_core::experiment::tool::Tool;
///
/// assert_eq!(Tool::decode("compare"), Ok(Tool::Compare));
/// assert_eq!(Tool::Compare.encode(), "compare");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tool {
    /// Every algorithm side by side on the lab.
    Compare,
    /// An experiment.
    Experiment(Run),
}

/// The seeds an experiment uses unless told otherwise.
///
/// ```
/// assert_eq!(hashhalo_core::experiment::tool::DEFAULT_SEEDS, 30);
/// ```
pub const DEFAULT_SEEDS: u32 = 30;

impl Run {
    /// `experiment` with the default seeds and tier.
    ///
    /// ```
    /// use hashhalo_core::experiment::{tool::Run, Experiment};
    ///
    /// assert_eq!(Run::new(Experiment::A1).seeds, 30);
    /// ```
    pub fn new(experiment: Experiment) -> Run {
        Run {
            experiment,
            seeds: DEFAULT_SEEDS,
            size: SizeInputs::default(),
        }
    }

    /// The text form: the name, then the seeds, then for `size` the tier.
    ///
    /// ```
    /// use hashhalo_core::experiment::{tool::Run, Experiment};
    ///
    /// assert_eq!(Run::new(Experiment::Size).encode(), "size_30_1000000_50000_5000_20_80_1");
    /// ```
    pub fn encode(&self) -> String {
        let mut s = format!("{}_{}", self.experiment.name(), self.seeds);
        if self.experiment == Experiment::Size {
            let t = self.size.clamped();
            let whole = |v: f64| v.round().max(1.0) as u64;
            s.push_str(&format!(
                "_{}_{}_{}_{}_{}_{}",
                t.keys,
                whole(t.rate),
                whole(t.capacity),
                (t.headroom * 100.0).round() as u64,
                (t.skew * 100.0).round() as u64,
                t.replication
            ));
        }
        s
    }

    /// Reads [`Run::encode`]'s form; missing inputs take their defaults, and every input is
    /// clamped (seeds to 1..=200, the tier by [`SizeInputs::clamped`]).
    ///
    /// ```
    /// use hashhalo_core::experiment::{tool::Run, Experiment};
    ///
    /// let run = Run::decode("size_9999_10_99999999999999999999999").unwrap();
    /// assert_eq!((run.seeds, run.size.keys, run.size.rate), (200, 10, 1e12));
    /// assert!(Run::decode("nope").is_err());
    /// assert!(Run::decode("a1_x").is_err());
    /// assert!(Run::decode("size_30_1_0.5").is_err());
    /// ```
    pub fn decode(text: &str) -> Result<Run, String> {
        let mut parts = text.split('_');
        let name = parts.next().unwrap_or_default();
        let experiment = Experiment::from_name(name).ok_or_else(|| {
            format!(
                "there is no experiment called {}",
                crate::format::quoted(name)
            )
        })?;
        let mut run = Run::new(experiment);
        let numbers: Vec<&str> = parts.collect();
        // Whole numbers; one too long for 64 bits saturates (it is clamped below anyway).
        let number = |i: usize| -> Result<Option<u64>, String> {
            match numbers.get(i) {
                None => Ok(None),
                Some(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Some(t.parse::<u64>().unwrap_or(u64::MAX)))
                }
                Some(t) => Err(format!(
                    "{} is not a whole number",
                    crate::format::quoted(t)
                )),
            }
        };
        if let Some(s) = number(0)? {
            run.seeds = s.clamp(1, 200) as u32;
        }
        let t = &mut run.size;
        if let Some(v) = number(1)? {
            t.keys = v;
        }
        // Rates are whole numbers from 1 in a text, as `encode` writes them: a 0 read as
        // anything smaller would be written back as 1 and answer differently.
        if let Some(v) = number(2)? {
            t.rate = v.max(1) as f64;
        }
        if let Some(v) = number(3)? {
            t.capacity = v.max(1) as f64;
        }
        if let Some(v) = number(4)? {
            t.headroom = v.min(100) as f64 / 100.0;
        }
        if let Some(v) = number(5)? {
            t.skew = v.min(1000) as f64 / 100.0;
        }
        if let Some(v) = number(6)? {
            t.replication = v.clamp(1, 5) as u8;
        }
        // Only sizing has a tier; another experiment's text carries none (`encode` writes
        // none), so it reads as the same run whatever follows its seeds.
        run.size = if experiment == Experiment::Size {
            run.size.clamped()
        } else {
            SizeInputs::default()
        };
        Ok(run)
    }
}

impl Tool {
    /// The text form: `compare`, or the experiment's ([`Run::encode`]).
    ///
    /// ```
    /// use hashhalo_core::experiment::{tool::{Run, Tool}, Experiment};
    ///
    /// assert_eq!(Tool::Experiment(Run::new(Experiment::A2)).encode(), "a2_30");
    /// ```
    pub fn encode(&self) -> String {
        match self {
            Tool::Compare => "compare".into(),
            Tool::Experiment(run) => run.encode(),
        }
    }

    /// The text form as a link carries it.
    ///
    /// ```
    /// use hashhalo_core::experiment::tool::Tool;
    ///
    /// assert_eq!(Tool::Compare.text().as_str(), "compare");
    /// ```
    pub fn text(&self) -> crate::link::ToolText {
        crate::link::ToolText::new(&self.encode()).expect("a tool's text is short and URL-safe")
    }

    /// Reads [`Tool::encode`]'s form.
    ///
    /// ```
    /// use hashhalo_core::experiment::tool::Tool;
    ///
    /// assert!(matches!(Tool::decode("hashes"), Ok(Tool::Experiment(_))));
    /// ```
    pub fn decode(text: &str) -> Result<Tool, String> {
        if text == "compare" {
            Ok(Tool::Compare)
        } else {
            Run::decode(text).map(Tool::Experiment)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A number as a tool text may hold one: small, at an edge, or too long for 64 bits.
    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            (0u64..3).prop_map(|v| v.to_string()),
            (0u64..2_000_000).prop_map(|v| v.to_string()),
            any::<u64>().prop_map(|v| v.to_string()),
            Just("99999999999999999999999".to_string()),
        ]
    }

    proptest! {
        /// Finding: a `size` text with a rate of 0 answered 1,250 servers, and the text
        /// written back for it (a rate of 1) answered 2. Whatever a tool text holds, the text
        /// written back reads as the same run, so a link reopens the same answer.
        #[test]
        fn a_tool_text_written_back_reads_as_the_same_run(
            which in 0..Experiment::ALL.len(),
            fields in proptest::collection::vec(field(), 0..8),
        ) {
            let text = std::iter::once(Experiment::ALL[which].name().to_string())
                .chain(fields)
                .collect::<Vec<_>>()
                .join("_");
            if let Ok(run) = Run::decode(&text) {
                let back = Run::decode(&run.encode()).unwrap();
                prop_assert_eq!(back, run);
                prop_assert_eq!(back.encode(), run.encode());
            }
        }
    }

    #[test]
    fn a_rate_of_zero_reads_as_the_one_written_back() {
        let run = Run::decode("size_30_1000000_0_5000_20_80_1").unwrap();
        assert_eq!(run.size.rate, 1.0);
        assert_eq!(run.encode(), "size_30_1000000_1_5000_20_80_1");
    }

    #[test]
    fn every_experiment_round_trips_with_changed_inputs() {
        for e in Experiment::ALL {
            let mut run = Run::new(e);
            run.seeds = 7;
            run.size.headroom = 0.35;
            run.size.replication = 3;
            let back = Run::decode(&run.encode()).unwrap();
            assert_eq!(back.experiment, e);
            assert_eq!(back.seeds, 7);
            if e == Experiment::Size {
                assert_eq!(back, run);
            }
        }
    }
}
