//! Exporting the payments table: the export is recorded (with who took the data out) and
//! written in the background by [`crate::exports::Job`].

use crate::db::payments::to_filter;
use crate::db::{accounts, exports, totals};
use crate::domain::audit::AuditAction;
use crate::domain::export::ExportFormat;
use crate::domain::ids::AccountId;
use crate::domain::merchant::Access;
use crate::domain::payments_query::PaymentsQuery;
use crate::error::AppError;
use crate::exports::Job;
use crate::service::Actor;
use crate::state::AppState;

/// Records an export of the query and starts writing it. Returns its id.
pub async fn start(
    state: &AppState,
    actor: &Actor,
    account_id: &AccountId,
    format: ExportFormat,
    query: &PaymentsQuery,
) -> Result<String, AppError> {
    actor.require(Access::Read)?;
    let merchant_id = actor.merchant_id();
    let account = accounts::find(&state.db, merchant_id, account_id).await?;
    let (filter, _) = to_filter(&query.first_page())?;
    let scope = totals::Scope::listed_by(filter.sort);
    let total = totals::totals(&state.db, merchant_id, &account.id, &filter, scope).await?;
    let id = ulid::Ulid::new().to_string().to_lowercase();
    let query_json = serde_json::to_string(&query.first_page()).map_err(AppError::internal)?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    exports::create(
        &mut tx,
        exports::NewExport {
            id: &id,
            merchant_id,
            account_id: &account.id,
            format: format.as_str(),
            query_json: &query_json,
            total_rows: total.count,
            now_ms,
            requested_by: match actor {
                Actor::Member { user_id, .. } => Some(*user_id),
                _ => None,
            },
        },
    )
    .await?;
    let detail = format!(
        "{} of {} payments from “{}”",
        format.as_str().to_uppercase(),
        total.count,
        account.name
    );
    actor
        .audit(&mut tx, AuditAction::PaymentsExported, &detail, now_ms)
        .await?;
    tx.commit().await?;
    let job = Job {
        state: state.clone(),
        id: id.clone(),
        merchant_id,
        account_id: account.id,
        filter,
        format,
    };
    tokio::spawn(job.run());
    Ok(id)
}
