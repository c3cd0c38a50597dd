pub mod band;
pub mod candidate;
pub mod cluster;
pub mod dedup;
pub mod hash;
pub mod shingle;
pub mod signature;
pub mod token;
