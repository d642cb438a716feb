/** Partnership assurance (domain.md §4): self-audit templates, measures, round comparison, plan and needs assessment. Pure. */
export * from './rag';
export * from './measures';
export * from './templates';
export * from './changes';
export * from './plan';
export * from './needs';
