//! General equilibrium: what a tariff does once prices, wages and every market adjust.
//!
//! - [`ge_data`] / [`ge`]: the multi-country, multi-sector model of Caliendo and Parro (2015)
//!   with input-output linkages, solved in changes ("exact hat algebra") exactly as
//!   `../shared/data/cp2015/MODEL.md` states it: unit costs, sectoral price indices, trade
//!   shares with sector elasticities theta_j, tariff revenue rebated to the importer, fixed
//!   deficits (zero or as in the data), world value added as numeraire, two solves (baseline
//!   and counterfactual policy) from the same data. One sector without input-output links is
//!   the same code (the Armington / Eaton-Kortum model).
//! - Outcomes per country: CP2015's welfare (terms of trade + volume of trade + technology,
//!   Table 2's measure, a finite-change decomposition) and, named distinctly, the exact
//!   real-income change (I'/I)/P^; the real wage, price indices, new flows by pair and
//!   sector, sectoral output.
//! - [`gravity::gravity_ge`]: one-sector structural gravity (Anderson-van Wincoop; Yotov et al.
//!   2016) on a gravity data set: the USITC `gegravity` 0.3 `OneSectorGE` method, and the exact
//!   market-clearing solution (the default), see [`gravity`].

pub mod data;
pub mod graph;
pub mod gravity;
pub mod model;
pub mod policy;
pub mod solve;
pub mod theta;

pub use data::GeData;
pub use graph::{from_graph, ThetaChoice};
pub use model::{
    ge, ge_data, CountryGe, FlowGe, GeParams, GeResult, NodeGe, SolveReport, SolverReport,
};
pub use policy::{parse_trade_cost, Deficits, TariffCell, TradeCost};
pub use solve::{solve, solve_from, Equilibrium, Policy, Residuals, SolverOptions};
