//! ccsim
