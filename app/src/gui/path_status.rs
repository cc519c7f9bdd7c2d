//! What a typed path is on disk (a folder with files, an existing file), for dialogs that warn
//! before overwriting. The file system is asked when the path changes, when the dialog says its
//! own work changed the answer, and otherwise at most every [`RECHECK_EVERY`], never every frame.

use std::path::Path;
use std::time::{Duration, Instant};

/// How long an answer is trusted while the path stays the same (files may change behind the
/// dialog's back).
pub const RECHECK_EVERY: Duration = Duration::from_secs(2);

/// The last answer about one path.
#[derive(Debug, Clone)]
pub struct PathStatus<T> {
    last: Option<(String, Instant, T)>,
    checks: u32,
}

impl<T> Default for PathStatus<T> {
    fn default() -> Self {
        PathStatus { last: None, checks: 0 }
    }
}

impl<T> PathStatus<T> {
    /// The answer for `path` (trimmed), from `check` if the path changed or the last answer is
    /// older than [`RECHECK_EVERY`], else the one kept.
    pub fn get(&mut self, path: &str, check: impl FnOnce(&Path) -> T) -> &T {
        let path = path.trim();
        let fresh = matches!(&self.last, Some((p, at, _)) if p == path && at.elapsed() < RECHECK_EVERY);
        if !fresh {
            self.last = None;
        }
        let checks = &mut self.checks;
        &self
            .last
            .get_or_insert_with(|| {
                *checks += 1;
                (path.to_owned(), Instant::now(), check(Path::new(path)))
            })
            .2
    }

    /// Forgets the answer, so the next [`PathStatus::get`] asks again (after writing there).
    pub fn invalidate(&mut self) {
        self.last = None;
    }

    /// How many times the file system was asked.
    pub fn checks(&self) -> u32 {
        self.checks
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::PathStatus;

    #[test]
    fn the_file_system_is_asked_once_per_path_not_per_frame() {
        let mut status = PathStatus::default();
        for _ in 0..100 {
            assert!(!*status.get(" /no/such/place ", Path::exists));
        }
        assert_eq!(status.checks(), 1, "a hundred frames, one check");
        status.get("/", Path::exists);
        assert_eq!(status.checks(), 2, "a new path is checked");
        status.get("/", Path::exists);
        status.invalidate();
        assert!(*status.get("/", Path::exists));
        assert_eq!(status.checks(), 3, "after invalidate the path is checked again");
    }
}
