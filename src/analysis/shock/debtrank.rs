//! DebtRank on trade exposures (Battiston, Puliga, Kaushik, Tasca and Caldarelli 2012,
//! "DebtRank: too central to fail?", Scientific Reports 2:541), as MODELS.md §4: how a loss at
//! some economies spreads to their partners when there is no input-output data.
//!
//! Symbols: h_j = relative loss (distress) of node j in [0, 1]; w[i,j] = the reliance of the
//! partner on the link; state U (undistressed), D (distressed: propagates once, in the next
//! round), I (inactive: has propagated). Round t:
//! h_r(t) = min(1, h_r(t-1) + sum over j in D(t-1) of w(j -> r) h_j(t-1)); D nodes become I,
//! U nodes with h > 0 become D; stop when no node is D.
//!
//! Channels (who passes distress to whom):
//! - export (default): a buyer's distress cuts its suppliers by the share of their exports it
//!   took: w(j -> i) = f[i,j] / s_out(i);
//! - import: a supplier's distress cuts its buyers by the share of their imports it provided:
//!   w(i -> j) = f[i,j] / s_in(j).
//!
//! Systemic loss: sum_j v_j (h_j(T) - h_j(0)), v_j = node j's share of total trade,
//! (s_out(j) + s_in(j)) / (2 sum f). Distress is pushed from the nodes distressed in the
//! previous round along their flows only; every node propagates at most once, so all rounds
//! together visit each flow at most once (and there are at most n + 1 rounds).

use crate::error::{Error, Result};
use crate::model::Csr;

/// Who passes distress to whom in [`debtrank`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Channel {
    /// A distressed buyer cuts its suppliers by the share of their exports it took (default).
    #[default]
    Export,
    /// A distressed supplier cuts its buyers by the share of their imports it provided.
    Import,
}

impl Channel {
    /// `export` or `import`.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Export => "export",
            Channel::Import => "import",
        }
    }
}

/// Parameters of [`debtrank`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DebtRankParams {
    /// The channel. Default [`Channel::Export`].
    pub channel: Channel,
    /// Keep every node's h after every round in [`DebtRank::history`] (n values per round).
    /// Default false.
    pub history: bool,
}

/// One round of [`debtrank`].
#[derive(Debug, Clone, PartialEq)]
pub struct DebtRankRound {
    /// 0 for the initial distress.
    pub round: usize,
    /// Nodes that propagated in this round (were D at its start); 0 for round 0.
    pub propagating: usize,
    /// Nodes newly distressed (h went from 0 to > 0) in this round; round 0: initially
    /// distressed nodes.
    pub newly_distressed: usize,
    /// sum_j v_j * (increase of h_j in this round); round 0: sum_j v_j h_j(0).
    pub loss: f64,
    /// sum_j base_j * (increase of h_j): the value lost in this round.
    pub value_lost: f64,
}

/// The result of [`debtrank`].
#[derive(Debug, Clone, PartialEq)]
pub struct DebtRank {
    /// The channel used.
    pub channel: Channel,
    /// h(0), as given.
    pub h0: Vec<f64>,
    /// h(T), at the end.
    pub h: Vec<f64>,
    /// The round in which each node became distressed (0: initially; `None`: never).
    pub distressed_round: Vec<Option<u32>>,
    /// Each node's base: exports s_out (export channel) or imports s_in (import channel).
    pub base: Vec<f64>,
    /// v_j: each node's share of total trade.
    pub v: Vec<f64>,
    /// The rounds, from 0.
    pub rounds: Vec<DebtRankRound>,
    /// sum_j v_j (h_j(T) - h_j(0)).
    pub systemic_loss: f64,
    /// h after each round (round 0 = h0), when asked for.
    pub history: Option<Vec<Vec<f64>>>,
}

/// The nodes' bases under a channel: exports (row sums) or imports (column sums) of `csr`,
/// self-flows excluded.
pub fn channel_base(csr: &Csr, channel: Channel) -> Vec<f64> {
    let mut base = vec![0.0; csr.n];
    for i in 0..csr.n {
        for (j, w) in csr.row(i) {
            if i == j {
                continue;
            }
            match channel {
                Channel::Export => base[i] += w,
                Channel::Import => base[j] += w,
            }
        }
    }
    base
}

/// DebtRank (Battiston et al. 2012) on the weighted flows `csr` (row = exporter) from the
/// initial distress `h0` (each in [0, 1]). Self-flows are ignored.
///
/// Errors: `h0` of the wrong length, or an entry outside [0, 1] ([`Error::Param`]).
/// Complexity O(nnz) for all rounds together, plus O(n) per round for the bookkeeping
/// (rounds: the depth of the distress cascade, at most n + 1); the export channel first
/// transposes the flows (O(n + nnz), the same again in memory). Deterministic: the same
/// result on every run and thread count.
///
/// ```
/// use tradenet::analysis::{debtrank, Channel, DebtRankParams};
/// use tradenet::Csr;
/// // a -> b 10 (a sells 10 to b), c -> b 30, c -> a 10. b is hit by half.
/// let csr = Csr { n: 3, offsets: vec![0, 1, 1, 3], targets: vec![1, 0, 1], weights: vec![10.0, 10.0, 30.0] };
/// let r = debtrank(&csr, &[0.0, 0.5, 0.0], &DebtRankParams::default()).unwrap();
/// // Export channel: b took all of a's exports (10/10) and 3/4 of c's (30/40).
/// assert_eq!(r.h, vec![0.5, 0.5, 0.5 * 0.75 + 0.5 * 0.25]);
/// ```
pub fn debtrank(csr: &Csr, h0: &[f64], p: &DebtRankParams) -> Result<DebtRank> {
    let n = csr.n;
    if h0.len() != n {
        return Err(Error::param(
            "h0",
            h0.len(),
            format!("needs one initial distress per node ({n})"),
        ));
    }
    if let Some(i) = h0.iter().position(|h| !(0.0..=1.0).contains(h)) {
        return Err(Error::param(
            format!("h0[{i}]"),
            h0[i],
            "must be between 0 and 1",
        ));
    }
    let s_out = channel_base(csr, Channel::Export);
    let s_in = channel_base(csr, Channel::Import);
    let total: f64 = s_out.iter().sum();
    let v: Vec<f64> = (0..n)
        .map(|j| {
            if total > 0.0 {
                (s_out[j] + s_in[j]) / (2.0 * total)
            } else {
                0.0
            }
        })
        .collect();
    // The push matrix: row j holds the nodes that j's distress reaches, weighted by f.
    let transposed;
    let (push, base) = match p.channel {
        // A buyer j hits its suppliers i: the in-flows of j.
        Channel::Export => {
            transposed = csr.transpose();
            (&transposed, s_out)
        }
        // A supplier i hits its buyers j: the out-flows of i.
        Channel::Import => (csr, s_in),
    };
    let inv_base: Vec<f64> = base
        .iter()
        .map(|&b| if b > 0.0 { 1.0 / b } else { 0.0 })
        .collect();

    const U: u8 = 0;
    const D: u8 = 1;
    const I: u8 = 2;
    let mut h = h0.to_vec();
    let mut state: Vec<u8> = h.iter().map(|&x| if x > 0.0 { D } else { U }).collect();
    let mut distressed_round: Vec<Option<u32>> =
        h.iter().map(|&x| (x > 0.0).then_some(0)).collect();
    let mut frontier: Vec<usize> = (0..n).filter(|&j| state[j] == D).collect();
    let mut history = p.history.then(|| vec![h.clone()]);
    let mut rounds = vec![DebtRankRound {
        round: 0,
        propagating: 0,
        newly_distressed: frontier.len(),
        loss: h.iter().zip(&v).map(|(a, b)| a * b).sum(),
        value_lost: h.iter().zip(&base).map(|(a, b)| a * b).sum(),
    }];
    // Each node propagates once, so all rounds together visit every flow at most once:
    // O(n + nnz) in total. Pushes run in a fixed order (frontier ascending, flows in row
    // order), so the sums are the same on every run.
    let mut incoming = vec![0.0; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut t = 0usize;
    while !frontier.is_empty() {
        t += 1;
        for &j in &frontier {
            let hj = h[j];
            for (r, w) in push.row(j) {
                if r == j {
                    continue;
                }
                if incoming[r] == 0.0 {
                    touched.push(r);
                }
                incoming[r] += w * hj;
            }
        }
        let mut loss = 0.0;
        let mut value_lost = 0.0;
        let mut next = Vec::new();
        touched.sort_unstable();
        touched.dedup();
        for &r in &touched {
            let before = h[r];
            let after = (before + incoming[r] * inv_base[r]).min(1.0);
            incoming[r] = 0.0;
            if after > before {
                h[r] = after;
                loss += v[r] * (after - before);
                value_lost += base[r] * (after - before);
            }
            if state[r] == U && h[r] > 0.0 {
                next.push(r);
            }
        }
        touched.clear();
        for &j in &frontier {
            state[j] = I;
        }
        for &r in &next {
            state[r] = D;
            distressed_round[r] = Some(t as u32);
        }
        if let Some(hist) = history.as_mut() {
            hist.push(h.clone());
        }
        rounds.push(DebtRankRound {
            round: t,
            propagating: frontier.len(),
            newly_distressed: next.len(),
            loss,
            value_lost,
        });
        frontier = next;
    }
    let systemic_loss = h
        .iter()
        .zip(h0)
        .zip(&v)
        .map(|((a, b), w)| w * (a - b))
        .sum();
    Ok(DebtRank {
        channel: p.channel,
        h0: h0.to_vec(),
        h,
        distressed_round,
        base,
        v,
        rounds,
        systemic_loss,
        history,
    })
}
