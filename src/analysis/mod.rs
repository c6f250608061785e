//! Analyses: pure functions from a [`TradeGraph`](crate::TradeGraph) and a params struct to a
//! result struct. Nothing here prints, exits or reads files.

pub mod dependency;
pub mod summary;

pub use dependency::{
    critical_dependencies, dependencies, dependencies_by_year, partner_shares,
    value_chain_exposure, Concentration, CountryDependency, CriticalParams, DependencyParams,
    ExposureMatrix, PartnerLink, PartnerShare, SectorDependency,
};
pub use summary::{summarize, Ranked, Summary};
