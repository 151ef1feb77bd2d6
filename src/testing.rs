//! Internals that the integration tests (`tests/it/`), the benches, the
//! examples and the fuzz targets use, re-exported under the paths they
//! have inside the crate (`testing::render::view::Site` is
//! `crate::render::view::Site`). Hidden from the documentation and not part
//! of the public API: anything here may change without notice. Add an item
//! only when a test needs it; the library's own users get the re-exports at
//! the crate root.

pub use crate::{drop_deleted, load_accounts, load_theme, media_index, Prepared};

pub mod media {
    pub use crate::media::content_name;
}

pub mod output {
    pub use crate::output::{is_safe_output_path, write, MANIFEST, RENDER_RECORD};
    pub use crate::store::index::{FILE as TOOT_INDEX, MARGIN as TOOT_INDEX_MARGIN};

    pub mod record {
        pub use crate::output::record::FILE;
    }
}

pub mod overrides {
    pub use crate::overrides::Overrides;
}

pub mod pages {
    pub use crate::pages::Pages;
}

pub mod privacy {
    pub use crate::privacy::{html_loads, scan};
}

pub mod render {
    // From the defining module: a `pub use` group inside the crate that
    // also names an unreachable item is narrowed as a whole by `cargo fix`
    // for unreachable_pub.
    pub use crate::render::sink::Collect;
    pub use crate::render::{
        base_context, render, tera_context, toot_page, toot_views, Body, OutputFile, RenderInput,
        TootPage,
    };

    pub mod feed {
        pub use crate::render::feed::render_all;
    }

    pub mod feedset {
        pub use crate::render::feedset::{specs, SpecInput};
    }

    pub mod theme {
        pub use crate::render::theme::{Theme, BUILTIN};
    }

    pub mod view {
        pub use crate::render::view::{toot_view, Site, TootView};
    }
}

pub mod sanitize {
    pub use crate::sanitize::{clean, escape, plain_text, shortcut_and_ammonia, Context};
}

pub mod select {
    pub use crate::select::{select, select_with, tag_slug};
}

pub mod source {
    pub mod activitypub {
        pub use crate::source::activitypub::{
            activity, featured_ids, href, item_id, note, status_id, Activity, BoostObject, Context,
        };
    }

    pub mod api_map {
        pub use crate::source::api_map::{to_toot, ApiStatus};
    }

    pub mod guard {
        pub use crate::source::guard::Reach;
    }

    pub mod http {
        pub use crate::source::http::{HttpClient, HttpOptions};
    }

    pub mod network {
        pub use crate::source::network::{Environment, Network};
    }
}
