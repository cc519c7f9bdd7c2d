//! One kind of background job for the designer: the simulation, the comparison, the report and
//! the infrastructure-code export each run as a [`Job`] on a named thread, report progress,
//! can be cancelled, and hand their result back when the UI polls for it. The UI thread never
//! waits for one.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread::JoinHandle;

/// Progress and the cancellation flag, shared by the job's owner and its thread.
#[derive(Debug, Default)]
struct Shared {
    /// Which stage the work is in (the design being assessed, in a comparison).
    stage: AtomicU32,
    /// Steps done in the current stage (Monte Carlo runs).
    done: AtomicU32,
    cancel: AtomicBool,
}

/// What the work sees of its job: where to report progress and whether to stop.
#[derive(Debug)]
pub struct Worker {
    shared: Arc<Shared>,
}

impl Worker {
    /// Reports `done` steps of the current stage finished.
    pub fn set_done(&self, done: u32) {
        self.shared.done.store(done, Ordering::Relaxed);
    }

    /// Moves to stage `stage`, with no step of it done yet.
    pub fn set_stage(&self, stage: u32) {
        self.shared.done.store(0, Ordering::Relaxed);
        self.shared.stage.store(stage, Ordering::Relaxed);
    }

    /// The cancellation flag, in the form the simulator takes.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.shared.cancel
    }

    /// Whether the owner asked the work to stop.
    pub fn cancelled(&self) -> bool {
        self.shared.cancel.load(Ordering::Relaxed)
    }
}

/// The work panicked: its result is lost (a bug, reported as an internal error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the {0} stopped unexpectedly (internal error)")]
pub struct Panicked(pub &'static str);

/// Work running on its own named thread, with `steps` steps in each of `stages` stages.
///
/// Dropping a job asks its work to stop (the thread finishes on its own; nobody waits for it).
#[derive(Debug)]
pub struct Job<T> {
    what: &'static str,
    handle: Option<JoinHandle<T>>,
    shared: Arc<Shared>,
    stages: u32,
    steps: u32,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread called `thread` (`gui-sim`, `gui-export`, ...); `what` names the
    /// work in messages ("simulation"). Fails only if the system cannot start a thread.
    pub fn spawn(
        thread: &str,
        what: &'static str,
        stages: u32,
        steps: u32,
        work: impl FnOnce(&Worker) -> T + Send + 'static,
    ) -> std::io::Result<Self> {
        let shared = Arc::new(Shared::default());
        let worker = Worker { shared: Arc::clone(&shared) };
        let handle = std::thread::Builder::new().name(thread.to_owned()).spawn(move || work(&worker))?;
        Ok(Job { what, handle: Some(handle), shared, stages: stages.max(1), steps: steps.max(1) })
    }

    /// The result once the work has finished, exactly once; `None` while it runs (and after).
    pub fn poll(&mut self) -> Option<Result<T, Panicked>> {
        if !self.handle.as_ref().is_some_and(JoinHandle::is_finished) {
            return None;
        }
        let handle = self.handle.take()?;
        Some(handle.join().map_err(|_| Panicked(self.what)))
    }
}

impl<T> Job<T> {
    /// Whether the work is still running (or finished and not yet polled).
    pub fn running(&self) -> bool {
        self.handle.is_some()
    }

    /// Asks the work to stop; it returns at its next check.
    pub fn cancel(&self) {
        self.shared.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether [`Job::cancel`] was called.
    pub fn cancelled(&self) -> bool {
        self.shared.cancel.load(Ordering::Relaxed)
    }

    /// The current stage (from 0) and the number of stages.
    pub fn stage(&self) -> (u32, u32) {
        (self.shared.stage.load(Ordering::Relaxed).min(self.stages - 1), self.stages)
    }

    /// Steps done in the current stage, and steps per stage.
    pub fn steps(&self) -> (u32, u32) {
        (self.shared.done.load(Ordering::Relaxed).min(self.steps), self.steps)
    }

    /// The share of the whole job done, from 0 to 1.
    pub fn fraction(&self) -> f32 {
        let (stage, stages) = self.stage();
        let (done, steps) = self.steps();
        ((f64::from(stage) + f64::from(done) / f64::from(steps)) / f64::from(stages)) as f32
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        self.cancel();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

    use std::time::{Duration, Instant};

    use super::{Job, Panicked};

    fn wait<T: Send + 'static>(job: &mut Job<T>) -> Result<T, Panicked> {
        let started = Instant::now();
        loop {
            if let Some(r) = job.poll() {
                return r;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "the job finishes");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    #[test]
    fn a_job_runs_on_its_named_thread_and_hands_its_result_back_once() {
        let mut job =
            Job::spawn("gui-test", "test", 1, 1, |_| std::thread::current().name().map(str::to_owned))
                .unwrap();
        assert_eq!(wait(&mut job), Ok(Some("gui-test".to_owned())));
        assert!(!job.running());
        assert_eq!(job.poll(), None, "the result is handed back once");
    }

    #[test]
    fn progress_and_stages_are_seen_by_the_owner() {
        let (go, wait_go) = std::sync::mpsc::channel::<()>();
        let (at, reached) = std::sync::mpsc::channel::<()>();
        let mut job = Job::spawn("gui-test", "test", 4, 10, move |w| {
            w.set_stage(2);
            w.set_done(5);
            at.send(()).unwrap();
            wait_go.recv().unwrap();
        })
        .unwrap();
        reached.recv().unwrap();
        assert_eq!(job.stage(), (2, 4));
        assert_eq!(job.steps(), (5, 10));
        assert!((job.fraction() - 2.5 / 4.0).abs() < 1e-6, "{}", job.fraction());
        assert!(job.running());
        go.send(()).unwrap();
        wait(&mut job).unwrap();
    }

    #[test]
    fn cancelling_stops_work_that_checks_and_a_dropped_job_is_cancelled() {
        let mut job = Job::spawn("gui-test", "test", 1, 1, |w| {
            while !w.cancelled() {
                std::thread::sleep(Duration::from_millis(1));
            }
            "stopped"
        })
        .unwrap();
        job.cancel();
        assert!(job.cancelled());
        assert_eq!(wait(&mut job), Ok("stopped"));
        let (tx, rx) = std::sync::mpsc::channel();
        let dropped = Job::spawn("gui-test", "test", 1, 1, move |w| {
            while !w.cancel_flag().load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(1));
            }
            tx.send(()).unwrap();
        })
        .unwrap();
        drop(dropped);
        rx.recv_timeout(Duration::from_secs(20)).unwrap();
    }

    #[test]
    fn a_panic_is_an_error_naming_the_work() {
        let mut job: Job<()> = Job::spawn("gui-test", "report", 1, 1, |_| panic!("boom")).unwrap();
        let err = wait(&mut job).unwrap_err();
        assert_eq!(err.to_string(), "the report stopped unexpectedly (internal error)");
    }
}
