//! Fault isolation: a panic while analysing one document, one pair or one
//! story costs that item, never the run.
//!
//! This is the last line of defence, not a way to handle bad input: every
//! pure function of the core is meant to hold on any text (property tests
//! and fuzzing check it), so an [`InternalError`] is a bug to report. The
//! stages of `scan`, `dedup`, `align` and `pan detect` run each item
//! through [`isolate`]; an item that panics gets an empty result, the error
//! names it, and the front end reports it once, counts it and finishes the
//! run with its own exit status.
//!
//! A binary that wants the panic's location in the message (not only its
//! text) installs a panic hook that calls [`note_panic`] while
//! [`in_scope`] is true, and prints the panic itself otherwise (the core
//! does no I/O, so it never prints).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What an internal error happened on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// A document, by its number in input order.
    Document(u32),
    /// A pair of documents, by number.
    Pair(u32, u32),
    /// A story, by number.
    Story(u32),
}

/// A panic caught by [`isolate`]: where, and what it said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InternalError {
    /// The stage that was running (`"features"`, `"pairs"` …).
    pub stage: &'static str,
    pub subject: Subject,
    /// The panic's message, with its location when a hook noted it.
    pub message: String,
}

impl fmt::Display for InternalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?}: {}", self.stage, self.subject, self.message)
    }
}

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    static NOTED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Whether the current thread runs inside [`isolate`]: a panic here will
/// be caught and reported with the item it happened on.
pub fn in_scope() -> bool {
    DEPTH.with(|d| d.get() > 0)
}

/// Keeps a panic's full message (for a panic hook, see the module docs);
/// [`isolate`] uses it instead of the bare payload.
pub fn note_panic(message: String) {
    NOTED.with(|n| *n.borrow_mut() = Some(message));
}

/// Runs `f`; a panic inside it becomes an [`InternalError`] on `subject`.
///
/// `f` must leave nothing half-updated that the caller reuses after an
/// error: callers drop or rebuild the scratch the closure borrowed (that is
/// what `AssertUnwindSafe` asserts here).
pub fn isolate<T>(stage: &'static str, subject: Subject, f: impl FnOnce() -> T) -> Result<T, InternalError> {
    struct Scope;
    impl Drop for Scope {
        fn drop(&mut self) {
            DEPTH.with(|d| d.set(d.get() - 1));
        }
    }
    DEPTH.with(|d| d.set(d.get() + 1));
    NOTED.with(|n| n.borrow_mut().take());
    let scope = Scope;
    let result = catch_unwind(AssertUnwindSafe(f));
    drop(scope);
    result.map_err(|payload| {
        let message = NOTED.with(|n| n.borrow_mut().take()).unwrap_or_else(|| payload_message(payload.as_ref()));
        InternalError { stage, subject, message }
    })
}

/// The values of `results`, with `T::default()` for each item that failed;
/// the errors go to `errors`, in item order.
pub fn or_default<T: Default>(results: Vec<Result<T, InternalError>>, errors: &mut Vec<InternalError>) -> Vec<T> {
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|e| {
                errors.push(e);
                T::default()
            })
        })
        .collect()
}

/// The text of a panic payload (`panic!("…")` gives a `&str` or a `String`).
pub fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-text payload".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_on_its_item_and_the_next_item_runs() {
        let items = [1u32, 0, 4];
        let results: Vec<Result<u32, InternalError>> = items
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                isolate("test", Subject::Document(i as u32), || {
                    assert!(in_scope());
                    8 / x
                })
            })
            .collect();
        assert_eq!(results[0], Ok(8));
        let error = results[1].clone().unwrap_err();
        assert_eq!((error.stage, &error.subject), ("test", &Subject::Document(1)));
        assert!(error.message.contains("divide by zero"), "{error}");
        assert_eq!(results[2], Ok(2));
        assert!(!in_scope(), "the scope ends with the call, panic or not");
    }

    #[test]
    fn a_noted_message_replaces_the_payload() {
        // What a binary's panic hook does: it runs before unwinding starts.
        let error = isolate("test", Subject::Pair(1, 2), || {
            note_panic("boom at src/x.rs:1:2".into());
            panic!("boom")
        })
        .unwrap_err();
        assert_eq!(error.message, "boom at src/x.rs:1:2");
        let clean: Result<(), _> = isolate("test", Subject::Story(0), || {});
        assert!(clean.is_ok());
    }

    #[test]
    fn payloads_of_both_kinds() {
        assert_eq!(payload_message(&"static"), "static");
        assert_eq!(payload_message(&String::from("owned")), "owned");
        assert_eq!(payload_message(&42u8), "panic with a non-text payload");
    }
}
