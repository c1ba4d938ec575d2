// Placeholder replaced by the infrastructure setup (PostgreSQL template database, Redis check).
export default function setup(): void {}
