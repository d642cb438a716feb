/**
 * The grading questions (domain ldis/workflow.ts GRADING_QUESTIONS): the web app imports
 * the domain's pure data, so the form asks exactly what the server validates.
 */
import { GRADING_QUESTIONS } from '../../../domain/ldis/workflow';

export const GRADING = GRADING_QUESTIONS;
