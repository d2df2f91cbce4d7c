-- A referral's history is append-only (DESIGN.md §5): no event is changed or removed. Two
-- exceptions: erasing what a note says about a person (its note set to null, nothing else
-- changed), and the events of a referral that is itself deleted (the cascade).
CREATE FUNCTION referral_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.note IS NULL AND (NEW.id, NEW.referral_id, NEW.at, NEW.version, NEW.from_status,
        NEW.to_status, NEW.actor, NEW.actor_partner_id)
      IS NOT DISTINCT FROM (OLD.id, OLD.referral_id, OLD.at, OLD.version, OLD.from_status,
        OLD.to_status, OLD.actor, OLD.actor_partner_id) THEN
      RETURN NEW;
    END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM referrals WHERE id = OLD.referral_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'a referral''s history is append-only' USING ERRCODE = 'integrity_constraint_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER referral_events_append_only BEFORE UPDATE OR DELETE ON referral_events
FOR EACH ROW EXECUTE FUNCTION referral_events_append_only();
