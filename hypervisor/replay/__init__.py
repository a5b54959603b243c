"""REPLAY: a recorded period of the city, opened read-only, seen through the same console as LIVE.

``feed.ReplayFeed`` plays a historian or incident file, ``source.ReplaySource`` hands it to the window,
``history`` opens the file and finds its marks. Nothing is imported here: a LIVE console names the
package without loading the historian."""
