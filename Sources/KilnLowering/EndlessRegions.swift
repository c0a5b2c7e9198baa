import CLLVM

/// The blocks of a function from which no path reaches a way out: a block that ends the function
/// (return, `unreachable` after a trap, `resume`) or one that `isWayOut` names. What is left is
/// code that, once entered, loops for ever: a Wasm `loop` that branches back unconditionally and
/// has no branch out, return, trap or call.
struct EndlessRegions {
    let blocks: [LLVMBasicBlockRef]

    init(of function: LLVMValueRef, isWayOut: (LLVMBasicBlockRef) -> Bool) {
        let all = IRWalk.blocks(of: function)
        var predecessors: [LLVMBasicBlockRef: [LLVMBasicBlockRef]] = [:]
        for block in all {
            for successor in IRWalk.successors(of: block) { predecessors[successor, default: []].append(block) }
        }
        var canLeave = Set(all.filter { IRWalk.successors(of: $0).isEmpty || isWayOut($0) })
        var frontier = Array(canLeave)
        while let block = frontier.popLast() {
            for predecessor in predecessors[block] ?? [] where canLeave.insert(predecessor).inserted {
                frontier.append(predecessor)
            }
        }
        blocks = all.filter { !canLeave.contains($0) }
    }
}
