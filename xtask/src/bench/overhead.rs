//! Item placeholder: needs the list API and the fake's paging.

use anyhow::{bail, Result};

use super::{Options, Section};

pub fn run(_options: &Options) -> Result<Section> {
    bail!("not measurable yet: it needs the client's case listing and the fake's paging")
}
