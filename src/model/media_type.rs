//! The one table of media types that tootbridge mirrors and publishes: each
//! type's file extension (the one mirrored files get), its MIME type, and the
//! other names servers and archives use for it. The media mirror and the
//! archive copy take a file's extension from it, the views publish only files
//! with one of its extensions (raster images, video and audio: nothing that
//! could run script on the site's origin, such as SVG or HTML), and the
//! preview server sends its MIME type. One table, so they cannot drift apart.

/// One media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaType {
    /// The extension a mirrored file of this type gets.
    pub extension: &'static str,
    pub mime: &'static str,
    /// Other extensions files of this type carry (read, never written).
    pub other_extensions: &'static [&'static str],
    /// Other MIME types servers send for it.
    pub other_mimes: &'static [&'static str],
}

const fn t(
    extension: &'static str,
    mime: &'static str,
    other_extensions: &'static [&'static str],
    other_mimes: &'static [&'static str],
) -> MediaType {
    MediaType {
        extension,
        mime,
        other_extensions,
        other_mimes,
    }
}

pub const MEDIA_TYPES: &[MediaType] = &[
    t("png", "image/png", &[], &[]),
    t("jpg", "image/jpeg", &["jpeg"], &["image/jpg"]),
    t("gif", "image/gif", &[], &[]),
    t("webp", "image/webp", &[], &[]),
    t("avif", "image/avif", &[], &[]),
    t("mp4", "video/mp4", &["m4v"], &[]),
    t("webm", "video/webm", &[], &[]),
    t("mov", "video/quicktime", &[], &[]),
    t("ogv", "video/ogg", &[], &[]),
    t("mp3", "audio/mpeg", &[], &["audio/mp3"]),
    t("ogg", "audio/ogg", &["oga"], &[]),
    t("opus", "audio/opus", &[], &[]),
    t("wav", "audio/wav", &[], &["audio/x-wav", "audio/wave"]),
    t("flac", "audio/flac", &[], &[]),
    t("m4a", "audio/mp4", &[], &["audio/x-m4a"]),
    t("aac", "audio/aac", &[], &[]),
];

/// The type a server's MIME type (without parameters, lower case) names.
pub fn by_mime(mime: &str) -> Option<&'static MediaType> {
    MEDIA_TYPES
        .iter()
        .find(|t| t.mime == mime || t.other_mimes.contains(&mime))
}

/// The extension a mirrored file of the MIME type `mime` gets; `None` for
/// any type a page may not show (SVG and HTML never get a file).
pub fn extension_of_mime(mime: &str) -> Option<&'static str> {
    by_mime(mime).map(|t| t.extension)
}

/// The type a file extension (any case) stands for.
pub fn by_extension(extension: &str) -> Option<&'static MediaType> {
    let extension = extension.to_ascii_lowercase();
    MEDIA_TYPES
        .iter()
        .find(|t| t.extension == extension || t.other_extensions.contains(&extension.as_str()))
}

/// The type of a file, by the extension of its name.
pub fn of_file(name: &str) -> Option<&'static MediaType> {
    by_extension(name.rsplit_once('.')?.1)
}

#[cfg(test)]
mod tests;
