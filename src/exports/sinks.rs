//! File writers for exports. Both stream: CSV through a buffered writer, XLSX through
//! rust_xlsxwriter's constant-memory worksheets (rows go to a temporary file as written).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use super::Cell;
use crate::domain::time::{to_iso_wib, WIB_OFFSET_SECONDS};

pub trait Sink {
    fn write_row(&mut self, cells: &[Cell]) -> Result<(), String>;
    fn finish(self: Box<Self>) -> Result<(), String>;
}

pub struct CsvSink {
    writer: csv::Writer<BufWriter<File>>,
}

impl CsvSink {
    pub fn create(path: &Path) -> Result<CsvSink, String> {
        let file = File::create(path).map_err(|e| e.to_string())?;
        Ok(CsvSink {
            writer: csv::Writer::from_writer(BufWriter::new(file)),
        })
    }
}

impl Sink for CsvSink {
    fn write_row(&mut self, cells: &[Cell]) -> Result<(), String> {
        let fields = cells.iter().map(|cell| match cell {
            Cell::Text(text) => inert(text),
            Cell::Number(n) => n.to_string(),
            Cell::Time(ms) => ms.map(to_iso_wib).unwrap_or_default(),
        });
        self.writer.write_record(fields).map_err(|e| e.to_string())
    }

    fn finish(mut self: Box<Self>) -> Result<(), String> {
        self.writer.flush().map_err(|e| e.to_string())
    }
}

/// Text a spreadsheet would run as a formula gets a leading apostrophe, so a payer who types
/// `=HYPERLINK(…)` as their name cannot plant one in the merchant's spreadsheet. Phone
/// numbers like `+62812…` and plain negative numbers stay as they are.
fn inert(text: &str) -> String {
    let risky = match text.as_bytes() {
        [b'=' | b'@' | b'\t' | b'\r', ..] => true,
        [b'+' | b'-', rest @ ..] => !rest.iter().all(|c| c.is_ascii_digit() || *c == b' '),
        _ => false,
    };
    if risky {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Rows per worksheet: Excel's limit less the header.
const SHEET_ROWS: u32 = 1_048_575;

pub struct XlsxSink {
    workbook: Workbook,
    time_format: Format,
    path: PathBuf,
    header: Vec<Cell>,
    sheet: usize,
    /// Next row to write on the current sheet.
    row: u32,
}

impl XlsxSink {
    pub fn create(path: &Path) -> Result<XlsxSink, String> {
        let mut workbook = Workbook::new();
        workbook
            .add_worksheet_with_constant_memory()
            .map_err(|e| e.to_string())?;
        Ok(XlsxSink {
            workbook,
            time_format: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            path: path.to_path_buf(),
            header: Vec::new(),
            sheet: 0,
            row: 0,
        })
    }
}

impl Sink for XlsxSink {
    fn write_row(&mut self, cells: &[Cell]) -> Result<(), String> {
        if self.header.is_empty() {
            self.header = cells.to_vec();
        } else if self.row > SHEET_ROWS {
            // A million rows fill a sheet; the next one starts with the header again.
            self.workbook
                .add_worksheet_with_constant_memory()
                .map_err(|e| e.to_string())?;
            self.sheet += 1;
            self.row = 0;
            let header = self.header.clone();
            self.write_row(&header)?;
        }
        let sheet = self
            .workbook
            .worksheet_from_index(self.sheet)
            .map_err(|e| e.to_string())?;
        for (column, cell) in cells.iter().enumerate() {
            let column = column as u16;
            match cell {
                Cell::Text(text) => sheet.write_string(self.row, column, text),
                // Rupiah amounts and ids are far below 2^53, exact as Excel numbers.
                Cell::Number(n) => sheet.write_number(self.row, column, *n as f64),
                Cell::Time(None) => continue,
                // Excel's date-times have no zone: the WIB wall clock, as the dashboard shows.
                Cell::Time(Some(ms)) => {
                    let wib = ExcelDateTime::from_timestamp(
                        ms.div_euclid(1000) + i64::from(WIB_OFFSET_SECONDS),
                    )
                    .map_err(|e| e.to_string())?;
                    sheet.write_datetime_with_format(self.row, column, &wib, &self.time_format)
                }
            }
            .map_err(|e| e.to_string())?;
        }
        self.row += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), String> {
        self.workbook.save(&self.path).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("+cmd"), "'+cmd");
        assert_eq!(inert("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
        assert_eq!(inert("-250000"), "-250000");
        assert_eq!(inert("+6281234567890"), "+6281234567890");
        assert_eq!(inert("Budi"), "Budi");
        assert_eq!(inert(""), "");
    }
}
