//! Payments exports: the file formats and how far an export got.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Result<ExportFormat, String> {
        match s {
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" => Ok(ExportFormat::Xlsx),
            _ => Err(crate::tr!(payments.choose_format)),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }
}

impl TryFrom<String> for ExportFormat {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ExportFormat::parse(&s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportStatus {
    Running,
    Done,
    /// It failed, or was interrupted; its error says which.
    Failed,
}

impl ExportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportStatus::Running => "running",
            ExportStatus::Done => "done",
            ExportStatus::Failed => "failed",
        }
    }
}

impl TryFrom<String> for ExportStatus {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        match s.as_str() {
            "running" => Ok(ExportStatus::Running),
            "done" => Ok(ExportStatus::Done),
            "failed" => Ok(ExportStatus::Failed),
            other => Err(format!("Unknown export status: {other}.")),
        }
    }
}

/// A file's size as people read it: bytes, KB or MB (a small export is not "0.0 MB").
pub fn format_size(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes.max(0) as f64;
    if b < KB {
        crate::tr!(payments.size_bytes, bytes = bytes)
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_statuses_read_back_what_they_write() {
        for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
            assert_eq!(
                ExportFormat::try_from(format.as_str().to_string()),
                Ok(format)
            );
        }
        for status in [
            ExportStatus::Running,
            ExportStatus::Done,
            ExportStatus::Failed,
        ] {
            assert_eq!(
                ExportStatus::try_from(status.as_str().to_string()),
                Ok(status)
            );
        }
        assert!(ExportFormat::parse("pdf").is_err());
    }

    #[test]
    fn sizes_read_in_the_unit_that_fits() {
        assert_eq!(format_size(512), "512 bytes");
        assert_eq!(format_size(2_560), "2.5 KB");
        assert_eq!(format_size(3 * 1_048_576 + 104_858), "3.1 MB");
    }
}
