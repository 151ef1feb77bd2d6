pub mod activitypub;
pub mod archive;
