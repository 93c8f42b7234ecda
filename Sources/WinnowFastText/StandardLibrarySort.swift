/// `std::sort` exactly as GCC's libstdc++ implements it (introsort: median-of-three quicksort down to
/// 16-element runs, heapsort past a depth of 2·log2(n), then one insertion sort), so that elements comparing
/// equal end in the same order as in fastText. fastText sorts its dictionary by count with it, and the order
/// of equal counts decides which word gets which row.
enum StandardLibrarySort {
    private static let threshold = 16

    static func sort<T>(_ array: inout [T], by less: (T, T) -> Bool) {
        let n = array.count
        guard n > 1 else { return }
        array.withUnsafeMutableBufferPointer { a in
            var depth = 0
            var m = n
            while m > 1 { m >>= 1; depth += 1 }
            introsortLoop(a, 0, n, depthLimit: depth * 2, less)
            finalInsertionSort(a, 0, n, less)
        }
    }

    private static func introsortLoop<T>(_ a: UnsafeMutableBufferPointer<T>, _ first: Int, _ last: Int, depthLimit: Int,
                                         _ less: (T, T) -> Bool) {
        var last = last, depthLimit = depthLimit
        while last - first > threshold {
            if depthLimit == 0 {
                heapSort(a, first, last, less)
                return
            }
            depthLimit -= 1
            let cut = partitionPivot(a, first, last, less)
            introsortLoop(a, cut, last, depthLimit: depthLimit, less)
            last = cut
        }
    }

    private static func partitionPivot<T>(_ a: UnsafeMutableBufferPointer<T>, _ first: Int, _ last: Int, _ less: (T, T) -> Bool) -> Int {
        let mid = first + (last - first) / 2
        moveMedianToFirst(a, first, first + 1, mid, last - 1, less)
        // Unguarded partition of [first + 1, last) around a[first].
        var lo = first + 1, hi = last
        while true {
            while less(a[lo], a[first]) { lo += 1 }
            hi -= 1
            while less(a[first], a[hi]) { hi -= 1 }
            if !(lo < hi) { return lo }
            a.swapAt(lo, hi)
            lo += 1
        }
    }

    private static func moveMedianToFirst<T>(_ a: UnsafeMutableBufferPointer<T>, _ result: Int, _ x: Int, _ y: Int, _ z: Int,
                                             _ less: (T, T) -> Bool) {
        if less(a[x], a[y]) {
            if less(a[y], a[z]) { a.swapAt(result, y) }
            else if less(a[x], a[z]) { a.swapAt(result, z) }
            else { a.swapAt(result, x) }
        } else if less(a[x], a[z]) { a.swapAt(result, x) }
        else if less(a[y], a[z]) { a.swapAt(result, z) }
        else { a.swapAt(result, y) }
    }

    private static func finalInsertionSort<T>(_ a: UnsafeMutableBufferPointer<T>, _ first: Int, _ last: Int, _ less: (T, T) -> Bool) {
        if last - first > threshold {
            insertionSort(a, first, first + threshold, less)
            for i in (first + threshold)..<last { unguardedLinearInsert(a, i, less) }
        } else {
            insertionSort(a, first, last, less)
        }
    }

    private static func insertionSort<T>(_ a: UnsafeMutableBufferPointer<T>, _ first: Int, _ last: Int, _ less: (T, T) -> Bool) {
        guard first != last else { return }
        var i = first + 1
        while i != last {
            if less(a[i], a[first]) {
                let value = a[i]
                var j = i
                while j > first { a[j] = a[j - 1]; j -= 1 }
                a[first] = value
            } else {
                unguardedLinearInsert(a, i, less)
            }
            i += 1
        }
    }

    private static func unguardedLinearInsert<T>(_ a: UnsafeMutableBufferPointer<T>, _ last: Int, _ less: (T, T) -> Bool) {
        let value = a[last]
        var hole = last, next = last - 1
        while less(value, a[next]) {
            a[hole] = a[next]
            hole = next
            next -= 1
        }
        a[hole] = value
    }

    // MARK: Heapsort (std::__partial_sort(first, last, last))

    private static func heapSort<T>(_ a: UnsafeMutableBufferPointer<T>, _ first: Int, _ last: Int, _ less: (T, T) -> Bool) {
        let len = last - first
        if len >= 2 {
            var parent = (len - 2) / 2
            while true {
                adjustHeap(a, first, parent, len, a[first + parent], less)
                if parent == 0 { break }
                parent -= 1
            }
        }
        var end = last
        while end - first > 1 {
            end -= 1
            let value = a[end]
            a[end] = a[first]
            adjustHeap(a, first, 0, end - first, value, less)
        }
    }

    private static func adjustHeap<T>(_ a: UnsafeMutableBufferPointer<T>, _ first: Int, _ holeIndex: Int, _ len: Int, _ value: T,
                                      _ less: (T, T) -> Bool) {
        let top = holeIndex
        var hole = holeIndex, child = holeIndex
        while child < (len - 1) / 2 {
            child = 2 * (child + 1)
            if less(a[first + child], a[first + child - 1]) { child -= 1 }
            a[first + hole] = a[first + child]
            hole = child
        }
        if len & 1 == 0 && child == (len - 2) / 2 {
            child = 2 * (child + 1)
            a[first + hole] = a[first + child - 1]
            hole = child - 1
        }
        // Push the value back up.
        var parent = (hole - 1) / 2
        while hole > top && less(a[first + parent], value) {
            a[first + hole] = a[first + parent]
            hole = parent
            parent = (hole - 1) / 2
        }
        a[first + hole] = value
    }
}
