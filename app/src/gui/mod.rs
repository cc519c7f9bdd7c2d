//! The desktop designer (eframe/egui). Widgets read the app through a [`context::ViewContext`]
//! and send [`command::AppCommand`]s into one queue; the app drains it once per frame
//! (`app/command_handling.rs`), the one place that applies edits, which gives undo for everything.
//! Simulation, comparison, report and export run as background [`job::Job`]s.

pub mod actions;
pub mod analysis;
pub mod app;
pub mod canvas;
pub mod changes_view;
pub mod command;
pub mod compare_view;
pub mod context;
pub mod dialogs;
pub mod export_dialog;
mod files;
pub mod icons;
mod inspector;
pub mod job;
mod menus;
pub mod palette;
pub mod panels;
mod path_status;
mod problems;
pub mod report_dialog;
pub mod theme;

use std::path::PathBuf;

use anyhow::Context as _;

pub use app::{AppConfig, MeridianApp, Preferences};

/// Opens the designer window, with `file` if given; returns when the window closes.
pub fn run(file: Option<PathBuf>) -> anyhow::Result<()> {
    let catalog = meridian_model::Catalog::builtin().context("the embedded catalog is broken")?;
    let recovery = eframe::storage_dir("Meridian").map(|d| d.join("recovery.ron"));
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1500.0, 920.0])
            .with_min_inner_size([900.0, 600.0])
            .with_title("Meridian"),
        persist_window: true,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Meridian",
        options,
        Box::new(move |cc| {
            let mut prefs: Preferences =
                cc.storage.and_then(|s| eframe::get_value(s, eframe::APP_KEY)).unwrap_or_default();
            // Overrides for scripted screenshots and demos.
            match std::env::var("MERIDIAN_VIEW").as_deref() {
                Ok("geographic") => prefs.mode = canvas::ViewMode::Geographic,
                Ok("schematic") => prefs.mode = canvas::ViewMode::Schematic,
                _ => {}
            }
            match std::env::var("MERIDIAN_THEME").as_deref() {
                Ok("dark") => prefs.dark = true,
                Ok("light") => prefs.dark = false,
                _ => {}
            }
            let config = AppConfig { open: file, recovery, native_dialogs: true };
            let mut app = MeridianApp::new(catalog, config, &prefs);
            if std::env::var("MERIDIAN_COMPARE").as_deref() == Ok("variants") {
                app.compare_variants(true);
            }
            // MERIDIAN_TAB=LABEL shows that tab of the bottom panel ("Cost", "Data law", ...).
            if let Ok(label) = std::env::var("MERIDIAN_TAB")
                && let Some(tab) =
                    panels::Tab::ALL.into_iter().find(|t| t.label().eq_ignore_ascii_case(&label))
            {
                app.show_tab(tab);
            }
            // MERIDIAN_SIMULATE=RUNS runs the Simulation tab's scenario with that many runs.
            if let Some(runs) = std::env::var("MERIDIAN_SIMULATE").ok().and_then(|r| r.parse::<u32>().ok()) {
                app.sim_panel().runs = runs.max(1);
                app.commands().send(command::AppCommand::Run(actions::Action::RunSimulation));
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the window could not be opened: {e}"))
}
