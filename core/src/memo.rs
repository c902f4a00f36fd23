//! Answers remembered across checks and threads: a batch asks a tariff or the sanctions
//! lists the same questions again and again (the same lines, currencies, traders, words).

use std::borrow::Borrow;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};

use crate::fxhash::FxHashMap;

/// A map of recent answers, at most `CAPACITY` of them: when full it starts again empty, so
/// memory stays flat however many keys a long batch or a service asks for.
#[derive(Debug)]
pub(crate) struct Memo<K, V, const CAPACITY: usize> {
    // A poisoned lock only means another thread panicked while holding it; the map is never
    // left half-written, so it is used as it is.
    answers: Mutex<FxHashMap<K, V>>,
}

impl<K, V, const CAPACITY: usize> Default for Memo<K, V, CAPACITY> {
    fn default() -> Self {
        Memo { answers: Mutex::default() }
    }
}

impl<K: Hash + Eq, V: Clone, const CAPACITY: usize> Memo<K, V, CAPACITY> {
    /// The answer remembered for `key`.
    pub(crate) fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.answers.lock().unwrap_or_else(PoisonError::into_inner).get(key).cloned()
    }

    /// Remembers `value` for `key`, forgetting everything else first when full.
    pub(crate) fn insert(&self, key: K, value: V) {
        let mut answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        if answers.len() >= CAPACITY {
            answers.clear();
        }
        answers.insert(key, value);
    }

    /// How many answers are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.answers.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn answers_are_remembered_until_the_memo_is_full() {
        let memo: Memo<String, u32, 3> = Memo::default();
        for (key, value) in [("a", 1), ("b", 2), ("c", 3)] {
            memo.insert(key.to_owned(), value);
        }
        assert_eq!(
            (memo.get("a"), memo.get("c"), memo.get("d"), memo.len()),
            (Some(1), Some(3), None, 3)
        );
        // The fourth starts it again: the others are forgotten.
        memo.insert("d".to_owned(), 4);
        assert_eq!((memo.get("a"), memo.get("d"), memo.len()), (None, Some(4), 1));
    }
}
