-- Partnership assurance (issue 9): a trial run is closed by the coordinator once what
-- happened and what to improve are recorded; a closed trial run no longer changes.
ALTER TABLE assurance_trial_runs ADD COLUMN closed_by text;
ALTER TABLE assurance_trial_runs ADD COLUMN closed_at timestamptz;
