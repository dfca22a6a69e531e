import Plot

/// Streaming simplification of a polyline: a run of vertices is replaced by one chord when
/// every vertex it drops lies within `tolerance` of that chord (perpendicular distance, and
/// its projection falls on the chord, so a path that doubles back keeps its turning point).
///
/// Since the points within `tolerance` of a segment form a convex set, the dropped part of the
/// original polyline lies entirely within `tolerance` of the chord that replaces it. A dense
/// curve (1,000 samples of a smooth density) keeps about a third of its vertices at 0.01 pt,
/// which makes PDF content streams about three times smaller and strokes cheaper to rasterize.
/// This is matplotlib's `path.simplify` idea (`path.simplify_threshold` = 1/9 pixel) with a
/// much smaller threshold and a simpler greedy rule (Lang-style look-ahead, capped at `maxRun`
/// dropped vertices per chord so the work stays linear).
///
/// Feed vertices with `add`, which returns the vertex to draw to when the current chord must
/// end there; `finish` returns the last pending vertex. The output depends only on the input.
struct PolylineSimplifier {
    /// The largest distance, in user units, of a dropped vertex from its chord.
    let tolerance: Double
    /// The most vertices one chord may replace.
    let maxRun: Int
    /// The last vertex drawn to (the start of the current chord), if a subpath is open.
    private(set) var anchor: Point?
    /// Vertices after `anchor` not yet drawn; the last is the current chord's end.
    private var pending: [Point] = []

    init(tolerance: Double, maxRun: Int = 32) {
        self.tolerance = tolerance
        self.maxRun = maxRun
    }

    /// Starts a new subpath at `p` (after a move, a curve or a close): nothing is pending.
    mutating func start(at p: Point) {
        anchor = p
        pending.removeAll(keepingCapacity: true)
    }

    /// Adds the next vertex. Returns the vertex to draw a line to when the run ending at the
    /// previous vertex can no longer be extended to `p`.
    mutating func add(_ p: Point) -> Point? {
        guard let a = anchor else {
            // No current point: the caller draws `p` as is (Cairo treats it as a move).
            anchor = p
            return p
        }
        guard let last = pending.last else {
            pending.append(p)
            return nil
        }
        if pending.count <= maxRun, pending.allSatisfy({ PolylineSimplifier.isWithin($0, chordFrom: a, to: p, tolerance: tolerance) }) {
            pending.append(p)
            return nil
        }
        anchor = last
        pending.removeAll(keepingCapacity: true)
        pending.append(p)
        return last
    }

    /// Ends the run: returns the last pending vertex (to draw a line to), if any.
    mutating func finish() -> Point? {
        guard let last = pending.last else { return nil }
        anchor = last
        pending.removeAll(keepingCapacity: true)
        return last
    }

    /// Whether `b` lies within `tolerance` of the segment a–c with its projection on the
    /// segment: with d = c − a and v = b − a, 0 ≤ v·d ≤ |d|² and (d × v)² ≤ tolerance²·|d|².
    /// A zero-length chord tests |v| ≤ tolerance. NaN coordinates are never within.
    static func isWithin(_ b: Point, chordFrom a: Point, to c: Point, tolerance: Double) -> Bool {
        let dx = c.x - a.x, dy = c.y - a.y
        let vx = b.x - a.x, vy = b.y - a.y
        let length2 = dx * dx + dy * dy
        let t2 = tolerance * tolerance
        if length2 == 0 { return vx * vx + vy * vy <= t2 }
        let along = vx * dx + vy * dy
        guard along >= 0, along <= length2 else { return false }
        let cross = dx * vy - dy * vx
        return cross * cross <= t2 * length2
    }
}
