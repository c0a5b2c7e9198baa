# wasi_thread_start(thread id, start argument): the entry point thread-spawn calls on a new
# thread. Before any C code runs it must switch __stack_pointer to the stack the spawning thread
# set aside (the first field of the start argument), which C cannot do by itself.
	.text
	.globaltype	__stack_pointer, i32
	.functype	thread_main_c (i32, i32) -> ()
	.globl	wasi_thread_start
	.type	wasi_thread_start,@function
wasi_thread_start:
	.functype	wasi_thread_start (i32, i32) -> ()
	local.get	1
	i32.load	0
	global.set	__stack_pointer
	local.get	0
	local.get	1
	call	thread_main_c
	end_function
