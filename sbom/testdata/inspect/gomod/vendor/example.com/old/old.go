package old

// Name names.
const Name = "old"
