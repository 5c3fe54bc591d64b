//! Analytic Erlang formulas (being written).
