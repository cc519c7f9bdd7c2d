//! Meridian discrete-event simulator (see ARCHITECTURE.md).
