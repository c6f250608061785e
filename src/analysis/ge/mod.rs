//! General-equilibrium models of trade.

pub mod gravity;
