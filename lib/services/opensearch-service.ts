// Placeholder: the construct of this file is being written.
export {};
