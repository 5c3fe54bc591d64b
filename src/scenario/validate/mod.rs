//! Validation: a [`ScenarioSpec`] becomes a [`Model`], or every problem in it
//! is reported at once, each with its location and dotted path.
//!
//! One file per section of a scenario file, over shared checkers; each file
//! imports only those below it:
//!
//! - this file: the order of the sections, and the model they make;
//! - sections: `calendar` (`[horizon]`), `lines`, `channels`, `themes/`
//!   (volumes, profiles, peaks, mailing waves), `pools/` (skills, staffing,
//!   shifts, extra support), `targets`, `expect` and `scale`;
//! - features that several sections share: `behaviour` (redials,
//!   announcements, callbacks, transfers), `counter` (appointment books,
//!   punctuality, products) and `menu` (phone menus);
//! - field checkers: [`distribution`], `grid` (clock times, intraday
//!   profiles and weekday tables on the interval grid), `fields` (shares,
//!   counts, names, weekday keys) and `files` (counts per date and interval
//!   read from CSV files: volumes, staffing).

mod behaviour;
mod calendar;
mod channels;
mod counter;
mod distribution;
mod expect;
mod fields;
mod files;
mod grid;
mod lines;
mod menu;
mod pools;
mod scale;
mod targets;
mod templates;
mod themes;

use std::path::Path;

use crate::model::Model;

use super::error::Problems;
use super::spec::ScenarioSpec;

pub use distribution::distribution;
pub use fields::MAX_PRICE;
pub use templates::{
    BreakWindow, ShiftTemplate, ShiftTemplates, requirement_file, shift_templates,
};

/// Builds the model; `base_dir` resolves relative file names (empirical
/// CSVs). Every section is checked even when an earlier one failed, as far
/// as what it rests on allows, so that one run reports every problem.
pub fn build(spec: &ScenarioSpec, base_dir: Option<&Path>, p: &mut Problems) -> Option<Model> {
    let calendar = calendar::calendar(spec, p);
    let channels = channels::channels(&spec.channels, base_dir, p);
    let mut lines = lines::lines(spec, calendar.as_ref(), p);
    let calendar = calendar?;
    let (volume_scale, agents_scale) = scale::scales(spec.scale.as_ref(), p);
    let handle_scale = scale::handle_time(spec.scale.as_ref(), p);
    let only_line = (spec.lines.len() == 1).then(|| lines[0].name.as_str());
    menu::check(spec, only_line, p);
    let source = themes::Source {
        spec,
        calendar: &calendar,
        lines: &lines,
        base_dir,
        handle_scale,
    };
    let (themes, mut streams) = themes::themes(&source, p);
    counter::attach_products(spec, &themes, &mut streams, &mut lines, &calendar, p);
    behaviour::transfers(spec, &themes, &mut streams, p);
    for s in &mut streams {
        s.expected.iter_mut().for_each(|e| *e *= volume_scale);
    }
    let served = pools::Served {
        calendar: &calendar,
        lines: &lines,
        themes: &themes,
        streams: &streams,
        base_dir,
    };
    let pools = pools::pools(spec, &served, agents_scale, p);
    let targets = targets::targets(spec.targets.as_ref(), p);
    let expect = expect::expect(spec.expect.as_ref(), &streams, &pools, p);
    if !p.list.is_empty() {
        return None;
    }
    Some(Model {
        name: spec
            .name
            .clone()
            .unwrap_or_else(|| "unnamed scenario".to_string()),
        description: spec.description.clone().unwrap_or_default(),
        calendar,
        lines,
        channels,
        themes,
        streams,
        pools,
        targets,
        expect,
    })
}
