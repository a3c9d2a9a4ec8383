export type SideTab = 'memory' | 'prompt' | 'continuity' | 'auto' | 'settings';

/** What is shown around the story: the side panel and its tab, and the keyboard help. */
export class UiState {
  sideTab = $state<SideTab>('memory');
  sideOpen = $state(true);
  helpOpen = $state(false);

  showSide(tab: SideTab): void {
    this.sideTab = tab;
    this.sideOpen = true;
  }
}
