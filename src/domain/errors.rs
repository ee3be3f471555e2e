use std::collections::BTreeMap;
use std::fmt;

/// Field name -> human message. Field names are the form/API field names, e.g. "title", "items[0].quantity".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// One error on one field, for validators that can only fail in one way.
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Keeps the first message for a field: the earliest check is the most basic one
    /// (e.g. "required" before "too long"), so it is the one worth showing.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// `Err(self)` if any error was recorded, so a validator can end with `errors.into_result(value)`.
    pub fn into_result<T>(self, ok: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(ok)
        } else {
            Err(self)
        }
    }

    /// Existing messages win, consistent with `add`.
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, message) in other.0 {
            self.add(field, message);
        }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (field, message)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{field}: {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_keeps_first_message() {
        let mut e = FieldErrors::new();
        e.add("title", "Title is required.");
        e.add("title", "Title must be at most 255 characters.");
        assert_eq!(e.get("title"), Some("Title is required."));
        assert_eq!(e.len(), 1);
        assert_eq!(e.get("other"), None);
    }

    #[test]
    fn into_result_depends_on_emptiness() {
        assert_eq!(FieldErrors::new().into_result(5), Ok(5));
        let e = FieldErrors::single("max_usage", "Bad.");
        assert_eq!(e.clone().into_result(5), Err(e));
    }

    #[test]
    fn merge_keeps_existing() {
        let mut a = FieldErrors::single("title", "A");
        let mut b = FieldErrors::single("title", "B");
        b.add("items", "C");
        a.merge(b);
        assert_eq!(a.get("title"), Some("A"));
        assert_eq!(a.get("items"), Some("C"));
    }

    #[test]
    fn display_is_sorted_and_joined() {
        let mut e = FieldErrors::new();
        e.add("title", "Title is required.");
        e.add("max_usage", "Max usage is required.");
        assert_eq!(
            e.to_string(),
            "max_usage: Max usage is required.; title: Title is required."
        );
        assert_eq!(FieldErrors::new().to_string(), "");
    }

    #[test]
    fn serializes_as_plain_object() {
        let e = FieldErrors::single("items[0].name", "Item name is required.");
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(json, r#"{"items[0].name":"Item name is required."}"#);
        let back: FieldErrors = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
    }
}
