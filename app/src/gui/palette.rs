//! The palette: service kinds grouped by category, searchable, dragged onto the canvas to add them.

use egui::{Sense, Ui, vec2};
use meridian_model::ServiceKind;
use meridian_model::catalog::{Category, Scope};

use super::command::AppCommand;
use super::context::ViewContext;
use super::icons;
use super::theme::Palette;

/// The payload of a drag from the palette: the kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindDrag(pub ServiceKind);

/// Shows the palette; `filter` is its search text, kept by the caller. A click on a kind sends
/// [`AppCommand::AddKind`] (added to the selected region, or the global band).
pub fn palette_ui(ui: &mut Ui, view: &ViewContext<'_>, filter: &mut String) {
    let catalog = view.catalog;
    ui.horizontal(|ui| {
        ui.label("Search");
        ui.add(
            egui::TextEdit::singleline(filter).hint_text("kind, e.g. dynamo").desired_width(f32::INFINITY),
        );
    });
    ui.label(
        egui::RichText::new("Drag a kind into a region, or click to add it to the selected region.")
            .small()
            .weak(),
    );
    ui.add_space(4.0);
    let needle = filter.to_lowercase();
    let pal = Palette::of(ui.visuals());
    let textures = icons::Textures::of(ui.ctx());
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        let mut categories: Vec<Category> = catalog.kinds().iter().map(|k| k.category).collect();
        categories.sort();
        categories.dedup();
        for category in categories {
            let kinds: Vec<_> = catalog
                .kinds()
                .iter()
                .filter(|k| k.category == category)
                .filter(|k| {
                    needle.is_empty()
                        || k.id.as_str().contains(&needle)
                        || k.name.to_lowercase().contains(&needle)
                        || k.short.to_lowercase().contains(&needle)
                })
                .collect();
            if kinds.is_empty() {
                continue;
            }
            egui::CollapsingHeader::new(category.label()).default_open(true).show(ui, |ui| {
                for k in kinds {
                    let row = ui.horizontal(|ui| {
                        let (rect, _) = ui.allocate_exact_size(vec2(26.0, 26.0), Sense::hover());
                        icons::paint(ui.painter(), &textures, rect, k, &pal);
                        let scope = if k.scope == Scope::Global { " (global)" } else { "" };
                        ui.add(
                            egui::Label::new(format!("{}{scope}", k.short))
                                .selectable(false)
                                .sense(Sense::click_and_drag()),
                        )
                    });
                    let label = row.inner.on_hover_text(&k.name);
                    if label.drag_started() {
                        egui::DragAndDrop::set_payload(ui.ctx(), KindDrag(k.id));
                    }
                    if label.dragged() {
                        ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
                        if let Some(p) = ui.ctx().pointer_interact_pos() {
                            egui::Area::new(ui.scope_id().with(("ghost", k.id.as_str())))
                                .order(egui::Order::Tooltip)
                                .fixed_pos(p + vec2(12.0, 4.0))
                                .interactable(false)
                                .show(ui.ctx(), |ui| {
                                    egui::Frame::popup(ui.style())
                                        .show(ui, |ui| ui.label(format!("Add {}", k.short)));
                                });
                        }
                    }
                    if label.clicked() {
                        view.send(AppCommand::AddKind(k.id));
                    }
                }
            });
        }
    });
}
