//! Annotations: text notes and group boxes (a VPC, a subnet, an account, a team) drawn on the
//! schematic canvas and kept in the design file.
//!
//! An annotation is a drawing, not part of the architecture: nothing is simulated, priced or
//! exported from it. It sits at a fixed place on the schematic canvas (canvas units from the
//! origin of the region grid, like a link's waypoints) rather than being anchored to a region: a
//! box commonly spans several regions, or part of one, so moving or removing a region leaves the
//! annotations where they were drawn. The geographic view places regions on a map, where a box
//! drawn around schematic positions means nothing: annotations are shown in the schematic view,
//! its picture export and the report's design picture.

use serde::{Deserialize, Serialize};

use crate::ids::AnnotationId;

/// What a group box stands for: the label it carries on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum GroupKind {
    /// An Amazon VPC.
    Vpc,
    /// A subnet of a VPC.
    Subnet,
    /// An AWS account.
    Account,
    /// The services one team owns.
    Team,
    /// Any other grouping.
    Other,
}

impl GroupKind {
    /// Every group kind, in the order the inspector offers them.
    pub const ALL: [GroupKind; 5] =
        [GroupKind::Vpc, GroupKind::Subnet, GroupKind::Account, GroupKind::Team, GroupKind::Other];

    /// The label shown on the box and in the inspector.
    pub fn label(self) -> &'static str {
        match self {
            GroupKind::Vpc => "VPC",
            GroupKind::Subnet => "Subnet",
            GroupKind::Account => "Account",
            GroupKind::Team => "Team",
            GroupKind::Other => "Group",
        }
    }
}

/// What an annotation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AnnotationKind {
    /// A sticky note: text, several lines allowed, drawn above the cards.
    Note,
    /// A titled, translucent box grouping what it surrounds, drawn behind the cards.
    Group(GroupKind),
}

impl AnnotationKind {
    /// Every kind: the note, then each group kind.
    pub const ALL: [AnnotationKind; 6] = [
        AnnotationKind::Note,
        AnnotationKind::Group(GroupKind::Vpc),
        AnnotationKind::Group(GroupKind::Subnet),
        AnnotationKind::Group(GroupKind::Account),
        AnnotationKind::Group(GroupKind::Team),
        AnnotationKind::Group(GroupKind::Other),
    ];

    /// A display name: `Note`, or the group's label (`VPC`, `Team`).
    pub fn label(self) -> &'static str {
        match self {
            AnnotationKind::Note => "Note",
            AnnotationKind::Group(g) => g.label(),
        }
    }

    /// The longest text of an annotation of this kind, in characters.
    pub fn max_chars(self) -> usize {
        match self {
            AnnotationKind::Note => Annotation::MAX_NOTE_CHARS,
            AnnotationKind::Group(_) => Annotation::MAX_TITLE_CHARS,
        }
    }

    /// Whether the text may hold line breaks (a note's may; a box's title is one line).
    pub fn multiline(self) -> bool {
        matches!(self, AnnotationKind::Note)
    }
}

/// A note or a group box on the schematic canvas.
///
/// `x` and `y` are its top left and `width` and `height` its size, in canvas units of the
/// schematic view from the origin of the region grid; the designer writes them on the canvas's
/// 10-unit grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// Unique among the design's annotations.
    pub id: AnnotationId,
    /// A note, or a group box and what it groups.
    pub kind: AnnotationKind,
    /// The note's text, or the box's title (may be empty: the box then shows its kind only).
    #[serde(default)]
    pub text: String,
    /// Left edge, rightwards from the canvas origin.
    pub x: i32,
    /// Top edge, downwards from the canvas origin.
    pub y: i32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl Annotation {
    /// The longest note, in characters (line breaks allowed).
    pub const MAX_NOTE_CHARS: usize = 2_000;
    /// The longest group box title, in characters (one line).
    pub const MAX_TITLE_CHARS: usize = 200;
    /// The smallest side, in canvas units: room for a line of text.
    pub const MIN_SIDE: u32 = 40;
    /// The largest side, in canvas units (as a region's).
    pub const MAX_SIDE: u32 = 100_000;
    /// The largest distance of a corner from the canvas origin, in canvas units (as a waypoint's).
    pub const MAX_COORD: i32 = 1_000_000;
    /// The most annotations one design may hold.
    pub const MAX_PER_DESIGN: usize = 10_000;

    /// The default size of a new note.
    pub const NOTE_SIZE: (u32, u32) = (220, 120);
    /// The default size of a new group box.
    pub const GROUP_SIZE: (u32, u32) = (480, 320);
}
