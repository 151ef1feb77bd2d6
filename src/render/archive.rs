//! The archive by month: `archive/index.html` lists every month with posts,
//! newest first, grouped by year, and `archive/<yyyy>/<mm>/` is a list of the
//! month's toots (paginated like every list, see `lists.rs`). A past month
//! never changes, so its pages are stable by nature. Months are those of the
//! site's time zone, of the time a toot appeared on the account (the boost's
//! time for a boost), the order the lists use.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use tera::Context;

use super::html;
use super::lists::{List, Lists};
use super::sitemap::SitemapEntry;
use super::view::Site;
use crate::error::Result;

#[derive(Serialize)]
pub(super) struct MonthLink {
    /// "November 2026", in the site's language.
    pub(super) name: String,
    pub(super) url: String,
    pub(super) count_text: String,
}

#[derive(Serialize)]
struct YearLinks {
    year: i32,
    months: Vec<MonthLink>,
}

/// The month of `when` in the site's time zone, as (year, month 1-12).
pub(super) fn month_of(site: &Site<'_>, when: &DateTime<Utc>) -> (i32, u32) {
    let local = when.with_timezone(&site.tz);
    (local.year(), local.month())
}

/// Where a month's list lives, and its name.
pub(super) fn month_link(site: &Site<'_>, (year, month): (i32, u32), count: usize) -> MonthLink {
    MonthLink {
        name: format!("{} {year}", site.i18n.months[month as usize - 1]),
        url: format!("{}/archive/{year:04}/{month:02}/", site.base),
        count_text: site.i18n.count("toots", count as u64),
    }
}

/// Writes the archive index and every month's list; returns them for the
/// sitemap. `listed` are the listed toots' view indexes, newest first.
pub(super) fn pages(
    lists: &Lists<'_>,
    base_context: &Context,
    site: &Site<'_>,
    listed: &[usize],
) -> Result<Vec<SitemapEntry>> {
    let mut months: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
    for &i in listed {
        months
            .entry(month_of(site, &lists.toots.created(i)))
            .or_default()
            .push(i);
    }
    let mut entries = Vec::new();
    let mut years: Vec<YearLinks> = Vec::new();
    for (&(year, month), items) in months.iter().rev() {
        let link = month_link(site, (year, month), items.len());
        let extra = vec![("month", super::json_of(&link)?)];
        entries.extend(lists.paginate(&List {
            template: "month.html",
            section: "archive",
            root: &items[..items.len().min(lists.per_page)],
            items,
            url: link.url.trim_end_matches('/'),
            prefix: &format!("archive/{year:04}/{month:02}/"),
            extra,
        })?);
        match years.last_mut() {
            Some(y) if y.year == year => y.months.push(link),
            _ => years.push(YearLinks {
                year,
                months: vec![link],
            }),
        }
    }
    let mut ctx = base_context.clone();
    ctx.insert("section", "archive");
    ctx.insert("years", &years);
    lists.sink.put(html(
        "archive/index.html".into(),
        lists.theme.render_bytes("archive.html", &ctx)?,
    ))?;
    entries.push(SitemapEntry {
        url: format!("{}/archive/", site.base),
        lastmod: listed.iter().map(|&i| lists.toots.last_change(i)).max(),
    });
    Ok(entries)
}
