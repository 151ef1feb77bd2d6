//! Unit tests of `lists.rs`.

use super::{full_pages, page_range, page_window};

#[test]
fn only_full_pages_exist_and_page_one_is_the_oldest() {
    assert_eq!(full_pages(0, 20), 0);
    assert_eq!(full_pages(19, 20), 0);
    assert_eq!(full_pages(20, 20), 1);
    assert_eq!(full_pages(59, 20), 2);
    // 59 toots, newest first: page 1 is the last 20 positions.
    assert_eq!(page_range(59, 20, 1), 39..59);
    assert_eq!(page_range(59, 20, 2), 19..39);
}

#[test]
fn a_new_toot_leaves_every_full_page_as_it_was() {
    // Position i in a list of n holds the toot with age rank n - 1 - i;
    // a page's toots, as age ranks, must not depend on n.
    let ranks = |n: usize, page: usize| -> Vec<usize> {
        page_range(n, 20, page).map(|i| n - 1 - i).collect()
    };
    for n in 20..200 {
        for page in 1..=full_pages(n, 20) {
            assert_eq!(ranks(n, page), ranks(n + 1, page), "n={n} page={page}");
        }
    }
}

#[test]
fn page_links_are_a_window_not_every_page() {
    assert_eq!(page_window(0, 0), []);
    assert_eq!(page_window(0, 1), [(1, false)]);
    assert_eq!(
        page_window(0, 500),
        [
            (500, false),
            (499, false),
            (498, false),
            (497, false),
            (1, true)
        ]
    );
    assert_eq!(
        page_window(50, 500),
        [
            (53, false),
            (52, false),
            (51, false),
            (50, false),
            (49, false),
            (48, false),
            (47, false),
            (1, true)
        ]
    );
    assert_eq!(
        page_window(5, 9),
        [
            (8, false),
            (7, false),
            (6, false),
            (5, false),
            (4, false),
            (3, false),
            (2, false),
            (1, false)
        ]
    );
    assert_eq!(page_window(4, 9).last(), Some(&(1, false)));
}

#[test]
fn far_pages_link_the_same_whatever_the_total() {
    for total in 60..80 {
        assert_eq!(page_window(20, total), page_window(20, 60));
    }
}
