//! A file's text after the plan: a whole text, or the text the model read
//! (shared, not copied) with byte ranges replaced, made whole only when
//! something asks for it. A dry run of a 50 MB changelog's promotion holds
//! the file once and prints its diff from the ranges.

use std::cell::OnceCell;
use std::sync::Arc;

use crate::text::splice::{self, Splice};

#[derive(Clone)]
enum Form {
    Whole(String),
    Spliced {
        base: Arc<String>,
        /// In order, not overlapping.
        splices: Vec<Splice>,
        /// The text made whole, once asked for.
        whole: OnceCell<String>,
    },
}

#[derive(Clone)]
pub struct PlannedText(Form);

impl PlannedText {
    pub fn whole(text: String) -> PlannedText {
        PlannedText(Form::Whole(text))
    }

    /// `base` with `splices` (in order, not overlapping) applied.
    pub fn spliced(base: Arc<String>, splices: Vec<Splice>) -> PlannedText {
        PlannedText(Form::Spliced {
            base,
            splices,
            whole: OnceCell::new(),
        })
    }

    /// The text it was spliced from and the splices, while it is spliced.
    pub fn splices(&self) -> Option<(&str, &[Splice])> {
        match &self.0 {
            Form::Spliced { base, splices, .. } => Some((base.as_str(), splices)),
            Form::Whole(_) => None,
        }
    }

    /// Whether it differs from `before`, without making it whole when it is
    /// spliced from `before`.
    pub fn differs_from(&self, before: &str) -> bool {
        match &self.0 {
            Form::Spliced { base, splices, .. } if base.as_str() == before => {
                splice::changes(base, splices)
            }
            _ => self.as_str() != before,
        }
    }

    /// Whether the spliced text has been made whole (a copy of the file).
    #[cfg(test)]
    pub fn made_whole(&self) -> bool {
        matches!(&self.0, Form::Spliced { whole, .. } if whole.get().is_some())
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Form::Whole(text) => text,
            // Nothing replaced yet: the text read, not a copy of it.
            Form::Spliced { base, splices, .. } if splices.is_empty() => base,
            Form::Spliced {
                base,
                splices,
                whole,
            } => whole.get_or_init(|| splice::apply(base, splices)),
        }
    }
}

impl std::ops::Deref for PlannedText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for PlannedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Form::Whole(text) => f.debug_tuple("Whole").field(&text.len()).finish(),
            Form::Spliced { base, splices, .. } => f
                .debug_struct("Spliced")
                .field("base", &base.len())
                .field("splices", splices)
                .finish(),
        }
    }
}

impl PartialEq for PlannedText {
    fn eq(&self, other: &PlannedText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for PlannedText {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spliced_text_is_made_whole_only_when_asked() {
        let base = Arc::new("a\nb\nc\n".to_string());
        let planned = PlannedText::spliced(base.clone(), vec![(2..3, "B".into())]);
        assert!(planned.differs_from(&base));
        let Form::Spliced { whole, .. } = &planned.0 else {
            panic!("spliced")
        };
        assert!(whole.get().is_none(), "compared without a copy");
        assert_eq!(planned.as_str(), "a\nB\nc\n");
        assert_eq!(planned.splices().unwrap().1.len(), 1);
        let untouched = PlannedText::spliced(base.clone(), Vec::new());
        assert!(std::ptr::eq(untouched.as_str(), base.as_str()));
        let same = PlannedText::spliced(base.clone(), vec![(2..3, "b".into())]);
        assert!(!same.differs_from(&base));
        assert!(PlannedText::whole("x".into()).differs_from(&base));
        assert_eq!(PlannedText::whole("a\nB\nc\n".into()), planned);
    }
}
