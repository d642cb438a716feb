-- Early warning (issue 6): e-mail to LDIS coordinators when a run raises a new alarm or
-- proposes a step, through the alerts module's outbox (`deliveries`), and detection re-run
-- when a coordinator changes the settings.

-- A user's e-mail address for notifications, and whether they want early-warning e-mail
-- (opting out keeps the address). One row per user; no row = no e-mail.
CREATE TABLE user_notification_email (
  user_id        bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  email          text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
  early_warning  boolean NOT NULL DEFAULT true,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- A delivery can now carry an early-warning notification (item_id = warning_notifications.id,
-- version 1, tier 'panel', no list). The UNIQUE key of deliveries keeps it to one e-mail
-- per notification and address.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_item_type_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_item_type_check CHECK (item_type IN ('alert', 'pin_report', 'warning_notification'));

-- A run started because the settings changed.
ALTER TABLE warning_runs DROP CONSTRAINT warning_runs_trigger_check;
ALTER TABLE warning_runs ADD CONSTRAINT warning_runs_trigger_check CHECK (trigger IN ('schedule', 'data_change', 'demand', 'demo', 'settings'));
