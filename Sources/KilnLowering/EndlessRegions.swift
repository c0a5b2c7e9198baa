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
        var canLeave: Set<LLVMBasicBlockRef> = []
        for block in all {
            let successors = IRWalk.successors(of: block)
            for successor in successors { predecessors[successor, default: []].append(block) }
            if successors.isEmpty || isWayOut(block) { canLeave.insert(block) }
        }
        var frontier = Array(canLeave)
        while let block = frontier.popLast() {
            for predecessor in predecessors[block] ?? [] where canLeave.insert(predecessor).inserted {
                frontier.append(predecessor)
            }
        }
        blocks = all.filter { !canLeave.contains($0) }
    }
}
