//! Grouping of article records into real-world events (`newsx events`).
