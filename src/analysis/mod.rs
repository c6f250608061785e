//! Analyses: pure functions from a [`TradeGraph`](crate::TradeGraph) and a params struct to a
//! result struct. Nothing here prints, exits or reads files.

pub mod backbone;
pub mod centrality;
pub mod complexity;
pub mod dependency;
pub mod ge;
pub mod gvc;
pub mod shock;
pub mod structure;
pub mod summary;

pub use backbone::{backbone, disparity_backbone, Backbone, BackboneLink, BackboneParams};
pub use centrality::{
    betweenness, centrality, centrality_with_progress, cheirank, closeness, eigenvector, harmonic,
    hits, in_degree, in_strength, katz, out_degree, out_strength, pagerank, spectral_radius,
    BetweennessParams, ByMeasure, CentralityOutput, CentralityParams, CentralitySettings, Distance,
    EigenvectorParams, Hits, HitsParams, Iterated, Katz, KatzAlpha, KatzParams, Measure,
    MeasureRun, NodeScores, PagerankParams,
};
pub use complexity::{
    complexity, country_profile, Complexity, ComplexityParams, CountryComplexity, CountryProduct,
    CountryProfile, ProductComplexity,
};
pub use dependency::{
    critical_dependencies, dependencies, dependencies_by_year, dependency, partner_shares,
    value_chain_exposure, Concentration, CountryDependency, CriticalParams, DependencyOutput,
    DependencyParams, ExposureMatrix, PartnerLink, PartnerShare, SectorDependency,
};
pub use gvc::{gvc, GvcParams, GvcResult, GvcSystem, Method};
pub use shock::{
    channel_base, debtrank, number_text, parse_demand, parse_embargo, parse_supply, parse_tariff,
    percent_text, resolve_target, shock, shock_io, shock_trade, smart, tariff_effects,
    tariff_scope, Channel, CrossCheck, DebtRank, DebtRankParams, DebtRankRound, Demand,
    DemandValue, Elasticities, Embargo, FlowCause, FlowEffect, GroupEffect, IoSystem, Model,
    NodeEffect, PartnerEffect, Propagation, Round, RoundEffect, RoundParams, Scenario, ScopeKind,
    SectorElasticities, Shock, ShockParams, ShockResult, Smart, Supply, Tariff, TariffEffect,
    TariffScope, TARIFF_ASSUMPTIONS,
};
pub use shock::{
    compare, demand_values, percent, ripple, taxed_value_added, CompareParams, Comparison,
    Difference, HitAbroad, HitCountry, ModelChoice, Mover, Ripple, SavedChange, SavedShock,
    SmartParams, TaxedValueAdded, Totals,
};
pub use structure::{
    clustering, reciprocity, strong_components, structure, weak_components, weighted_reciprocity,
    Components, Structure, StructureParams,
};
pub use summary::{sector_totals, summary, Ranked, SectorTotal, Summary, SummaryParams};
