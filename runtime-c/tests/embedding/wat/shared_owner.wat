;; Defines and exports a shared memory, for instances on other threads to import.
(module
  (memory (export "memory") 80 1024 shared))
