// The DigComp vocabulary is shared with network, where a completed referral may record progress.
export { DIGCOMP_VERSION, digCompCompetences } from '@passerelle/service';
